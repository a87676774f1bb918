// Search across the whole log of a build, on the server (GET /api/builds/{id}/log/search), so it
// finds lines the page has not loaded or rendered: the first page of matches is marked in the
// view and Enter / the arrows step through them, each revealed (sections unfolded) and
// highlighted like a deep link.

import { api } from './common.js';

/**
 * Wires the search form `form` (an input `#search-q`, a counter `#search-count`, buttons
 * `#search-prev` / `#search-next`) to build `build`'s log shown in `view`; `onJump(n)` runs when
 * the search moves to line `n`.
 */
export function wireSearch({ form, build, view, onJump }) {
  const input = form.querySelector('#search-q');
  const count = form.querySelector('#search-count');
  let query = '';
  let lines = [];
  let more = false; // the server has matches past this page
  let at = -1;

  function show() {
    if (!query) count.textContent = '';
    else if (!lines.length) count.textContent = 'no match';
    else count.textContent = `${at + 1} / ${lines.length}${more ? '+' : ''}`;
    form.dataset.matches = String(lines.length);
  }

  function jump(step) {
    if (!lines.length) return;
    at = (at + step + lines.length) % lines.length;
    const n = lines[at];
    onJump(n);
    view.reveal(n);
    view.highlight(n);
    show();
  }

  async function run(q) {
    query = q;
    lines = [];
    at = -1;
    more = false;
    view.setMatches([]);
    if (!q) {
      show();
      return;
    }
    count.textContent = '…';
    try {
      // A page cut short by the server's search budget may hold no match yet still have a
      // `next`: ask on from there until a match or the end of the log.
      let answer = { next: 1 };
      do {
        const from = answer.next;
        const r = await fetch(
          api(`builds/${build}/log/search?q=${encodeURIComponent(q)}&from=${from}`),
          { cache: 'no-store' },
        );
        if (query !== q) return; // a newer search started meanwhile
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        answer = await r.json();
      } while (!answer.matches.length && answer.next != null);
      lines = answer.matches.map((m) => m.line);
      more = answer.next != null;
      view.setMatches(lines);
      jump(1);
      show();
    } catch (err) {
      count.textContent = 'search failed';
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (q === query && lines.length) jump(1);
    else run(q);
  });
  form.querySelector('#search-next').addEventListener('click', () => jump(1));
  form.querySelector('#search-prev').addEventListener('click', () => jump(-1));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.shiftKey) {
      e.preventDefault();
      jump(-1);
    } else if (e.key === 'Escape') {
      input.value = '';
      run('');
    }
  });
  window.addEventListener('keydown', (e) => {
    // Ctrl/Cmd+F searches the whole log (the browser's own find sees only the rendered lines).
    if ((e.ctrlKey || e.metaKey) && e.key === 'f' && document.activeElement !== input) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
}
