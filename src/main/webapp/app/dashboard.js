// The dashboard, /: builds newest first from GET /api/builds, kept live by the global feed
// (/api/events through app/streams.js, `event: build` with a build's summary). The feed has no replay, so
// every (re)open of it reloads the list. Filters come from the query string (?project=&status=).

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
$('#filter').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = new URLSearchParams();
  const project = $('#f-project').value.trim();
  const status = $('#f-status').value;
  if (project) q.set('project', project);
  if (status) q.set('status', status);
  const s = q.toString();
  location.href = location.pathname + (s ? `?${s}` : '');
});

function matches(b) {
  return (!filter.project || b.project === filter.project) && (!filter.status || b.status === filter.status);
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
  cell(title, 'title');
  cell(statusBadge(b.status), 'status-cell');
  cell(buildDuration(b), 'duration');
  cell(String(b.lineCount ?? 0), 'lines');
  const created = cell(formatTime(b.createdAt), 'created');
  created.title = b.createdAt || '';
  return tr;
}

function render() {
  const shown = [...builds.values()]
    .filter(matches)
    .sort((a, b) => b.id - a.id)
    .slice(0, LIMIT);
  $('#builds tbody').replaceChildren(...shown.map(row));
  $('#empty').hidden = shown.length > 0;
}

async function load() {
  const q = new URLSearchParams({ limit: String(LIMIT) });
  if (filter.project) q.set('project', filter.project);
  if (filter.status) q.set('status', filter.status);
  const r = await fetch(api(`builds?${q}`), { cache: 'no-store' });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  for (const b of await r.json()) upsert(b);
  render();
}

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
