// The one import map of every page that loads CodeMirror 6 (the shared notes). A classic script,
// run before the page's first module, adds it: import maps cannot be loaded by URL, and one file
// keeps the pages from drifting apart. The modules are the WebJars in the WAR (versions pinned in
// pom.xml; ImportMapTest checks every path against the jars) plus the vendored @codemirror/collab.
(() => {
  const IMPORTS = {
    "@codemirror/state": "../webjars/codemirror__state/6.7.1/dist/index.js",
    "@codemirror/view": "../webjars/codemirror__view/6.43.7/dist/index.js",
    "@codemirror/commands": "../webjars/codemirror__commands/6.10.4/dist/index.js",
    "@codemirror/language": "../webjars/codemirror__language/6.12.4/dist/index.js",
    "@lezer/common": "../webjars/lezer__common/1.5.2/dist/index.js",
    "@lezer/highlight": "../webjars/lezer__highlight/1.2.3/dist/index.js",
    "@lezer/lr": "../webjars/lezer__lr/1.4.10/dist/index.js",
    "@marijn/find-cluster-break": "../webjars/marijn__find-cluster-break/1.0.3/src/index.js",
    "style-mod": "../webjars/style-mod/4.1.3/src/style-mod.js",
    "w3c-keyname": "../webjars/w3c-keyname/2.2.8/index.js",
    "crelt": "../webjars/crelt/1.0.7/index.js"
  };
  const here = document.currentScript.src; // paths are relative to this file, not the page
  const imports = {};
  for (const [name, path] of Object.entries(IMPORTS)) imports[name] = new URL(path, here).href;
  const map = document.createElement('script');
  map.type = 'importmap';
  map.textContent = JSON.stringify({ imports });
  document.currentScript.after(map);
})();
