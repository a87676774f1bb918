// The dashboard, /: builds newest first from GET /api/builds, kept live by the global feed
// (/api/events through app/streams.js, `event: build` with a build's summary). The feed has no replay, so
// every (re)open of it reloads the list. Filters come from the query string
// (?project=&status=&ref=). "Older" pages back through GET /api/builds?before= (the oldest row's
// id). A failed row says why: its first error line (`firstError`) and its annotation counts.

import {
  $,
  api,
  STATUSES,
  buildDuration,
  formatTime,
  showConnection,
  statusBadge,
} from './common.js';
import { followFeed } from './streams.js';

const params = new URLSearchParams(location.search);
const filter = {
  project: (params.get('project') || '').trim(),
  status: (params.get('status') || '').trim(),
  ref: (params.get('ref') || '').trim(),
};
const builds = new Map(); // id → summary
const badge = $('#connection');
const LIMIT = 100;

// ---- filter form ----------------------------------------------------------------------------

for (const s of STATUSES) {
  const o = document.createElement('option');
  o.value = s;
  o.textContent = s;
  $('#f-status').appendChild(o);
}
$('#f-project').value = filter.project;
$('#f-status').value = filter.status;
$('#f-ref').value = filter.ref;
$('#filter').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = new URLSearchParams();
  const project = $('#f-project').value.trim();
  const status = $('#f-status').value;
  const ref = $('#f-ref').value.trim();
  if (project) q.set('project', project);
  if (status) q.set('status', status);
  if (ref) q.set('ref', ref);
  const s = q.toString();
  location.href = location.pathname + (s ? `?${s}` : '');
});

function matches(b) {
  return (
    (!filter.project || b.project === filter.project) &&
    (!filter.status || b.status === filter.status) &&
    (!filter.ref || b.ref === filter.ref)
  );
}

// ---- the list -------------------------------------------------------------------------------

/** Keeps the newer of two summaries of a build (the list and the feed may cross). */
function upsert(b) {
  const old = builds.get(b.id);
  if (!old || (b.lastEventId ?? 0) >= (old.lastEventId ?? 0)) builds.set(b.id, b);
}

function row(b) {
  const tr = document.createElement('tr');
  tr.dataset.id = b.id;
  tr.dataset.status = b.status;
  const cell = (content, cls) => {
    const td = document.createElement('td');
    if (cls) td.className = cls;
    if (content instanceof Node) td.appendChild(content);
    else td.textContent = content ?? '';
    tr.appendChild(td);
    return td;
  };
  const link = document.createElement('a');
  link.href = `builds/${b.id}`;
  link.textContent = `#${b.id}`;
  cell(link, 'id');
  cell(b.project, 'project');
  const title = document.createElement('a');
  title.href = `builds/${b.id}`;
  title.textContent = b.title || b.ref || '';
  const titleCell = cell(title, 'title');
  const why = whyItFailed(b);
  if (why) titleCell.appendChild(why);
  cell(statusBadge(b.status), 'status-cell');
  cell(buildDuration(b), 'duration');
  cell(String(b.lineCount ?? 0), 'lines');
  const created = cell(formatTime(b.createdAt), 'created');
  created.title = b.createdAt || '';
  return tr;
}

const ICONS = { error: '✖', warning: '⚠', notice: 'ℹ' };

/** A failed build's first error line and its annotation counts, or null when it has neither. */
function whyItFailed(b) {
  const counts = b.annotations || {};
  const levels = ['error', 'warning', 'notice'].filter((l) => counts[l] > 0);
  const failed = b.status === 'failed' || b.status === 'errored';
  if (!levels.length && !(failed && b.firstError)) return null;
  const div = document.createElement('div');
  div.className = 'why';
  if (levels.length) {
    const span = document.createElement('span');
    span.className = 'annotation-counts';
    span.textContent = levels.map((l) => `${ICONS[l]} ${counts[l]}`).join(' ');
    span.title = levels.map((l) => `${counts[l]} ${l}${counts[l] === 1 ? '' : 's'}`).join(', ');
    div.appendChild(span);
  }
  if (failed && b.firstError) {
    const a = document.createElement('a');
    a.className = 'first-error';
    a.href = `builds/${b.id}${b.firstErrorLine ? `#L${b.firstErrorLine}` : ''}`;
    a.textContent = b.firstError;
    a.title = b.firstErrorLine ? `line ${b.firstErrorLine}` : '';
    div.appendChild(a);
  }
  return div;
}

// The row drawn for each build shown, with the summary it was drawn from: a row is made again only
// when its build changed, so paging back through 20,000 builds or a feed event touches the rows
// that changed, not the whole table.
const drawn = new Map(); // build id -> { b, tr }

function render() {
  // every page loaded, newest first, and what the feed brought (a build that comes to match the
  // filter shows wherever its id sorts; "Older" goes on from the oldest row the list gave)
  const shown = [...builds.values()].filter(matches).sort((a, b) => b.id - a.id);
  const tbody = $('#builds tbody');
  const wanted = new Set(shown.map((b) => b.id));
  for (const [id, r] of drawn) {
    if (!wanted.has(id)) {
      r.tr.remove();
      drawn.delete(id);
    }
  }
  let at = tbody.firstElementChild;
  for (const b of shown) {
    let r = drawn.get(b.id);
    if (!r || r.b !== b) {
      const tr = row(b);
      if (r) {
        if (at === r.tr) at = tr;
        r.tr.replaceWith(tr);
      }
      r = { b, tr };
      drawn.set(b.id, r);
    }
    if (r.tr === at) at = at.nextElementSibling;
    else tbody.insertBefore(r.tr, at);
  }
  $('#empty').hidden = shown.length > 0;
  $('#older').hidden = !more;
}

let oldest = null; // the oldest build id loaded from the list (older ones come with "Older")
let more = false; // the last page was full: there may be older builds

/** Loads a page of the list: the newest, or (`before` a build id) the one older than it. */
async function load(before = null) {
  // one more than a page: whether older builds exist is known without an empty last page
  const q = new URLSearchParams({ limit: String(LIMIT + 1) });
  if (filter.project) q.set('project', filter.project);
  if (filter.status) q.set('status', filter.status);
  if (filter.ref) q.set('ref', filter.ref);
  if (before != null) q.set('before', String(before));
  const r = await fetch(api(`builds?${q}`), { cache: 'no-store' });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  const got = await r.json();
  const page = got.slice(0, LIMIT);
  for (const b of page) upsert(b);
  const last = page.length ? page[page.length - 1].id : null;
  if (before != null || oldest == null) {
    if (last != null && (oldest == null || last < oldest)) oldest = last;
    more = got.length > LIMIT;
  }
  render();
}

$('#older').addEventListener('click', async () => {
  const button = $('#older');
  button.disabled = true;
  try {
    await load(oldest);
  } catch (err) {
    showConnection(badge, 'reconnecting');
  } finally {
    button.disabled = false;
  }
});

// Running builds' durations tick.
setInterval(() => {
  for (const tr of document.querySelectorAll('#builds tr[data-status="running"]')) {
    const b = builds.get(Number(tr.dataset.id));
    if (b) tr.querySelector('.duration').textContent = buildDuration(b);
  }
}, 1000);

// ---- live -----------------------------------------------------------------------------------

function connect() {
  followFeed({
    onEvent: (type, summary) => {
      upsert(summary);
      render();
    },
    onState: (state) => {
      if (state === 'live') {
        // (re)opened: what happened while it was down is only in the list
        showConnection(badge, 'live');
        load().catch(() => showConnection(badge, 'reconnecting'));
      } else if (state === 'failed') {
        // refused outright: reload the list now and then instead
        pollList();
      } else {
        showConnection(badge, 'reconnecting');
      }
    },
  });
}

function pollList() {
  showConnection(badge, 'polling');
  const tick = () =>
    load()
      .then(() => showConnection(badge, 'polling'))
      .catch(() => showConnection(badge, 'reconnecting'))
      .finally(() => setTimeout(tick, 5000));
  tick();
}

if (typeof window.EventSource === 'function') connect();
else pollList();
