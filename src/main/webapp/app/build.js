// The build page, /builds/{id}: follows the build's event stream (app/streams.js: one connection
// shared by the browser's tabs, resumed by Last-Event-ID), falls back to long-polling when
// EventSource is missing or never gets through, and renders the log with LogView.

import { LogView } from './log-view.js';
import { joinRoom } from './room.js';
import { wireSearch } from './search.js';
import { followBuild } from './streams.js';
import {
  $,
  api,
  ROOT,
  TERMINAL,
  backoff,
  buildDuration,
  formatDuration,
  formatTime,
  showConnection,
  sleep,
  statusBadge,
} from './common.js';

const match = /\/builds\/(\d+)\/?$/.exec(location.pathname);
const id = match ? match[1] : null;

const view = new LogView($('#log'));
const badge = $('#connection');
const follow = $('#follow');
let summary = null;
const steps = new Map();
let lastId = 0; // the last event id handled (for long-polling; EventSource keeps its own)
let finished = false;
let source = null;
let target = null; // the line of the #L hash still to show
// A log longer than TAIL_ABOVE lines opens at its end: the stream starts with the last TAIL_LINES
// (?tail=), and the whole log is loaded when asked, or when a deep link or a search needs a line
// before what is loaded.
// `?tail=N` in the page's URL opens any log longer than N lines at its last N lines.
const TAIL_PARAM = Number(new URLSearchParams(location.search).get('tail')) || 0;
const TAIL_ABOVE = TAIL_PARAM > 0 ? TAIL_PARAM : 50000;
const TAIL_LINES = TAIL_PARAM > 0 ? TAIL_PARAM : 10000;
let partial = false;
let room = null;

$('#home').href = ROOT.toString();

// ---- header ---------------------------------------------------------------------------------

function renderHeader() {
  if (!summary) return;
  document.title = `#${summary.id} ${summary.title || summary.project} · Tailboard`;
  $('#build-id').textContent = `#${summary.id}`;
  $('#project').textContent = summary.project;
  $('#title').textContent = summary.title || '';
  $('#ref').textContent = [summary.ref, summary.commit && summary.commit.slice(0, 10)]
    .filter(Boolean)
    .join(' @ ');
  $('#status').replaceChildren(statusBadge(summary.status));
  $('#started').textContent = summary.startedAt ? `started ${formatTime(summary.startedAt)}` : '';
  renderDuration();
  renderSteps();
}

function renderDuration() {
  $('#duration').textContent = summary ? buildDuration(summary) : '';
}

function renderSteps() {
  const list = $('#steps');
  list.replaceChildren();
  for (const s of steps.values()) {
    const a = document.createElement('a');
    a.className = `step status-${s.status}`;
    a.href = `#L${s.line}`;
    const end = s.finishedAt ? Date.parse(s.finishedAt) : finished ? NaN : Date.now();
    const took = s.startedAt ? formatDuration(end - Date.parse(s.startedAt)) : '';
    a.textContent = `${s.name} · ${s.status}${took ? ' · ' + took : ''}`;
    list.appendChild(a);
  }
}

setInterval(() => {
  if (summary && !summary.finishedAt) {
    renderDuration();
    renderSteps();
  }
}, 1000);

// ---- events ---------------------------------------------------------------------------------

function handle(type, data, eventId) {
  if (eventId) lastId = Math.max(lastId, eventId);
  switch (type) {
    case 'reset':
      lastId = 0;
      view.reset();
      steps.clear();
      break;
    case 'build':
      summary = { ...data };
      steps.clear();
      for (const s of data.steps || []) steps.set(s.name, { ...s });
      renderHeader();
      break;
    case 'log':
      if (view.append(data.first, data.lines || [], data.ts, data.step) > 0) rendered();
      break;
    case 'step': {
      const s = steps.get(data.name) || { name: data.name, line: data.line, startedAt: data.ts };
      s.status = data.status;
      if (data.status !== 'running') {
        s.finishedAt = data.ts;
        view.stepFinished(data.name, data.ts);
      }
      steps.set(data.name, s);
      renderSteps();
      break;
    }
    case 'mask':
      refetchMasked(data.first, data.last);
      break;
    case 'status':
      if (!summary) summary = { id: Number(id) };
      summary.status = data.status;
      if (data.status === 'running' && !summary.startedAt) summary.startedAt = data.ts;
      if (TERMINAL.has(data.status)) {
        summary.finishedAt = data.ts;
        if (!summary.startedAt) summary.startedAt = data.ts;
      }
      renderHeader();
      if (TERMINAL.has(data.status)) finish();
      break;
    default:
      break;
  }
}

/** Fetches again the lines a late-registered secret was masked in, where this page holds them. */
async function refetchMasked(first, last) {
  const held = view.held();
  if (!held) return;
  const from = Math.max(first, held[0]);
  const to = Math.min(last, held[1]);
  if (from > to) return;
  const r = await fetch(api(`builds/${id}/log?from=${from}&to=${to}`), { cache: 'no-store' });
  if (!r.ok) return;
  const lines = (await r.text()).split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  view.replace(from, lines);
}

function finish() {
  finished = true;
  if (source) source.close();
  showConnection(badge, 'finished');
}

// ---- connection: EventSource, long-poll fallback --------------------------------------------

function connectEventSource(tail = 0) {
  partial = tail > 0;
  source = followBuild({
    build: id,
    tail,
    onEvent: (type, data, eventId) => handle(type, data, eventId),
    onState: (state) => {
      if (state === 'failed') {
        // refused, or it never got through: long-poll instead (unless it is all over)
        source = null;
        if (!finished) poll();
      } else if (!finished) {
        showConnection(badge, state);
        if (state === 'live' && room) room.nudge(); // the server is back: the room need not wait
      }
    },
  });
}

async function poll() {
  showConnection(badge, 'long-polling');
  let attempt = 0;
  while (!finished) {
    try {
      const r = await fetch(api(`builds/${id}/poll?after=${lastId}&wait=25`), {
        cache: 'no-store',
      });
      if (!r.ok) throw new Error(`poll: HTTP ${r.status}`);
      const answer = await r.json();
      if (answer.reset) handle('reset', {}, 0);
      for (const e of answer.events) handle(e.event, e.data, e.id);
      lastId = Math.max(lastId, answer.last);
      attempt = 0;
      if (answer.done) finish();
      else showConnection(badge, 'long-polling');
    } catch (err) {
      showConnection(badge, 'reconnecting');
      await sleep(backoff(attempt++, 1000));
    }
  }
}

// ---- deep links and following the tail ------------------------------------------------------

function targetFromHash() {
  const m = /^#L(\d+)$/.exec(location.hash);
  return m ? Number(m[1]) : null;
}

/** Only the tail is loaded: drop it and stream the whole log (then go to line `n`, if given). */
function loadAll(n = null) {
  if (!partial) return;
  partial = false;
  $('#partial').hidden = true;
  if (source) source.close();
  lastId = 0;
  view.reset();
  if (n != null) {
    target = n;
    follow.checked = false;
  }
  connectEventSource();
}

function showPartial() {
  if (!partial || !summary) return;
  const first = view.lines.length ? view.lines[0].n : summary.lineCount + 1;
  $('#partial-from').textContent = first.toLocaleString();
  $('#partial-total').textContent = Math.max(summary.lineCount, view.nextLine - 1).toLocaleString();
  $('#partial').hidden = false;
}

function showTarget() {
  if (target == null) return;
  if (partial && view.lines.length && target < view.lines[0].n) {
    loadAll(target);
    return;
  }
  const el = view.reveal(target);
  if (!el) return; // not there yet: tried again after the next chunk
  view.highlight(target);
  setFollow(false);
  el.scrollIntoView({ block: 'center' });
  target = null;
}

let lastScrollY = window.scrollY;
let scrollQueued = false;

function atBottom() {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 4;
}

function setFollow(on) {
  follow.checked = on;
  if (on) scrollToEnd();
}

function scrollToEnd() {
  if (scrollQueued) return;
  scrollQueued = true;
  requestAnimationFrame(() => {
    scrollQueued = false;
    if (follow.checked) {
      window.scrollTo(0, document.documentElement.scrollHeight);
      lastScrollY = window.scrollY;
    }
  });
}

function rendered() {
  showPartial();
  if (target != null) showTarget();
  if (follow.checked) scrollToEnd();
}

window.addEventListener(
  'scroll',
  () => {
    // Scrolling up (not just the page shrinking under a bottom reader) stops following.
    if (window.scrollY < lastScrollY && !atBottom()) follow.checked = false;
    lastScrollY = window.scrollY;
  },
  { passive: true },
);
follow.addEventListener('change', () => setFollow(follow.checked));
$('#times').addEventListener('change', (e) => $('#log').classList.toggle('show-times', e.target.checked));
window.addEventListener('hashchange', () => {
  target = targetFromHash();
  showTarget();
});

// ---- start ----------------------------------------------------------------------------------

async function start() {
  if (!id) {
    showConnection(badge, 'not found');
    return;
  }
  $('#raw').href = api(`builds/${id}/log`);
  target = targetFromHash();
  follow.checked = target == null;
  try {
    const r = await fetch(api(`builds/${id}`), { cache: 'no-store' });
    if (r.status === 404) {
      showConnection(badge, 'not found');
      $('#title').textContent = `No build ${id}`;
      return;
    }
    if (r.ok) {
      summary = await r.json();
      for (const s of summary.steps || []) steps.set(s.name, { ...s });
      renderHeader();
    }
  } catch (err) {
    // the stream below reports the connection state
  }
  room = joinRoom({
    room: `build-${id}`,
    panel: $('#room'),
    view,
    onReveal: () => setFollow(false),
  });
  wireSearch({
    form: $('#search'),
    build: id,
    view,
    onJump: (n) => {
      setFollow(false);
      if (partial && view.index(n) < 0) loadAll(n);
    },
  });
  $('#load-all').addEventListener('click', () => loadAll());
  const long = summary && summary.lineCount > TAIL_ABOVE;
  const tail = long && (target == null || target > summary.lineCount - TAIL_LINES) ? TAIL_LINES : 0;
  if (typeof window.EventSource === 'function') connectEventSource(tail);
  else poll();
}

start();
