// The build page, /builds/{id}: follows the build's event stream (app/streams.js: one connection
// shared by the browser's tabs, resumed by Last-Event-ID), falls back to long-polling when
// EventSource is missing or never gets through, and renders the log with LogView.
//
// Failure first: a failed build opens at its first error line (the summary's `firstErrorLine`,
// or the first line the view marks) unless the URL has a #L hash; `e` / `Shift+e` step through
// the error lines; the header counts them; the build's annotations (GET …/annotations, then
// `annotation` events) are listed above the log, each linked to its line; and "Changed since last
// green" lists the lines new since the last passed build (GET …/diff?against=last-passed).

import { LogView, stripAnsi } from './log-view.js';
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
// Lines above a long failed log's first error that are loaded with it (the rest on demand).
const ERROR_CONTEXT = 200;

/** Whether `n` is the failed build's first error line, where the page opens. */
function toErrorLine(n) {
  return n != null && summary && summary.status === 'failed' && n === summary.firstErrorLine;
}
let room = null;
let toFirstError = false; // a failed build opened without a hash: go to its first error line
const annotations = new Map(); // level, logLine, message … → the annotation

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
  view.live = !TERMINAL.has(summary.status);
  if (typeof summary.errorCount === 'number') view.serverMarks = true; // it marks error lines
  $('#diff-open').hidden = summary.status !== 'failed';
  renderDuration();
  renderSteps();
  renderErrorCount();
}

// ---- errors ---------------------------------------------------------------------------------

/** The header's error count: the error lines the view holds, or the summary's when it has more. */
function renderErrorCount() {
  const known = summary && typeof summary.errorCount === 'number' ? summary.errorCount : 0;
  const count = Math.max(known, view.errors.length);
  const el = $('#errors');
  el.hidden = count === 0;
  el.dataset.count = String(count);
  el.textContent = `✖ ${count} error${count === 1 ? '' : 's'}`;
  el.title = 'lines reporting an error: e / Shift+e step through them';
}

view.onErrors = () => {
  renderErrorCount();
  if (toFirstError && target == null && view.errors.length) {
    toFirstError = false;
    target = view.errors[0];
  }
};

/** Moves to the next (`step` 1) or previous (-1) error line from the highlighted one. */
function stepError(step) {
  const errors = view.errors;
  if (!errors.length) return;
  let from = view.highlighted;
  if (from == null) {
    const mid = document.elementFromPoint(innerWidth / 3, innerHeight / 2);
    const row = mid && mid.closest('.line');
    from = row ? Number(row.dataset.n) : 0;
  }
  let i;
  if (step > 0) {
    i = errors.findIndex((n) => n > from);
    if (i < 0) i = 0;
  } else {
    i = errors.findLastIndex((n) => n < from);
    if (i < 0) i = errors.length - 1;
  }
  const n = errors[i];
  setFollow(false);
  const el = view.reveal(n);
  view.highlight(n);
  if (el) el.scrollIntoView({ block: 'center' });
}

document.addEventListener('keydown', (e) => {
  if (e.key !== 'e' && e.key !== 'E') return;
  if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  const t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  e.preventDefault();
  stepError(e.shiftKey ? -1 : 1);
});

// ---- annotations ----------------------------------------------------------------------------

const ICONS = { error: '✖', warning: '⚠', notice: 'ℹ' };

function addAnnotation(a) {
  if (!a || !a.message) return;
  const key = [a.logLine, a.level, a.file, a.line, a.col, a.title, a.message].join('\u0000');
  if (annotations.has(key)) return;
  annotations.set(key, a);
  renderAnnotations();
}

function renderAnnotations() {
  const list = $('#annotations');
  const sorted = [...annotations.values()].sort((a, b) => (a.logLine ?? 0) - (b.logLine ?? 0));
  list.replaceChildren(
    ...sorted.map((a) => {
      const li = document.createElement('li');
      const level = ICONS[a.level] ? a.level : 'notice';
      li.className = `annotation annotation-${level}`;
      const icon = document.createElement('span');
      icon.className = 'annotation-icon';
      icon.textContent = ICONS[level];
      icon.title = level;
      const link = document.createElement('a');
      link.className = 'annotation-text';
      if (a.logLine) link.href = `#L${a.logLine}`;
      link.textContent = a.title ? `${a.title}: ${a.message}` : a.message;
      li.append(icon, link);
      if (a.file) {
        const where = document.createElement('span');
        where.className = 'annotation-file';
        where.textContent = [a.file, a.line, a.line && a.col].filter(Boolean).join(':');
        li.append(where);
      }
      return li;
    }),
  );
  list.hidden = sorted.length === 0;
}

async function loadAnnotations() {
  try {
    const r = await fetch(api(`builds/${id}/annotations`), { cache: 'no-store' });
    if (!r.ok) return; // a server without annotations: the list stays empty
    const list = await r.json();
    if (Array.isArray(list)) list.forEach(addAnnotation);
  } catch (err) {
    // events still bring them
  }
}

// ---- what changed since the last green run --------------------------------------------------

async function showDiff() {
  const panel = $('#diff');
  const body = $('#diff-body');
  panel.hidden = false;
  body.replaceChildren();
  $('#diff-summary').textContent = 'comparing with the last passed build…';
  let r;
  try {
    r = await fetch(api(`builds/${id}/diff?against=last-passed`), { cache: 'no-store' });
  } catch (err) {
    $('#diff-summary').textContent = 'The comparison failed: the server did not answer.';
    return;
  }
  if (r.status === 404) {
    let detail = '';
    try {
      detail = (await r.json()).detail || '';
    } catch (err) {
      // no problem+json body
    }
    panel.dataset.state = 'none';
    $('#diff-summary').textContent =
      'No passed build of this project and ref to compare with' + (detail ? ` (${detail})` : '.');
    return;
  }
  if (!r.ok) {
    panel.dataset.state = 'error';
    $('#diff-summary').textContent = `The comparison failed (HTTP ${r.status}).`;
    return;
  }
  const diff = await r.json();
  const against = diff.against && typeof diff.against === 'object' ? diff.against.id : diff.against;
  const lines = diff.lines || [];
  panel.dataset.state = 'done';
  const summaryText = document.createElement('span');
  summaryText.textContent = `${lines.length} line${lines.length === 1 ? '' : 's'} new since `;
  const link = document.createElement(against != null ? 'a' : 'span');
  if (against != null) link.href = String(against); // a sibling of this page, /builds/{id}
  link.textContent = against != null ? `#${against}` : 'the last passed build';
  const tail = document.createElement('span');
  tail.textContent = diff.truncated ? ' (the list is cut short)' : '';
  $('#diff-summary').replaceChildren(summaryText, link, tail);
  if (diff.rule) $('#diff-summary').title = diff.rule;
  body.replaceChildren(
    ...lines.map((l) => {
      const li = document.createElement('li');
      li.className = 'diff-line';
      li.dataset.n = String(l.line);
      const a = document.createElement('a');
      a.href = `#L${l.line}`;
      a.textContent = String(l.line);
      const text = document.createElement('span');
      text.className = 'diff-text';
      text.textContent = stripAnsi(String(l.text ?? ''));
      li.append(a, text);
      return li;
    }),
  );
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
      if (toFirstError && target == null && typeof data.firstErrorLine === 'number') {
        toFirstError = false;
        target = data.firstErrorLine;
      }
      for (const s of data.steps || []) steps.set(s.name, { ...s });
      renderHeader();
      break;
    case 'log':
      if (view.append(data.first, data.lines || [], data.ts, data.step, data.errors) > 0) {
        rendered();
      }
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
    case 'annotation':
      addAnnotation(data);
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
// A link to the line the hash already names: no hashchange, so go there all the same.
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('#annotations a, #diff-body a');
  if (!a || a.getAttribute('href') !== location.hash) return;
  target = targetFromHash();
  showTarget();
});
$('#diff-open').addEventListener('click', () => showDiff());
$('#diff-close').addEventListener('click', () => {
  $('#diff').hidden = true;
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
  if (target == null && summary && summary.status === 'failed') {
    // a failed build opens at its first error line: the summary's, or the first the view marks
    if (typeof summary.firstErrorLine === 'number') {
      target = summary.firstErrorLine;
      follow.checked = false;
    } else {
      toFirstError = true; // following the tail until an error line shows, if one does
    }
  }
  loadAnnotations();
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
  let tail = 0;
  if (long && (target == null || target > summary.lineCount - TAIL_LINES)) {
    tail = TAIL_LINES;
  } else if (long && toErrorLine(target)) {
    // a long failed log opens at its first error: the stream starts a little above it, so the
    // error is on screen as soon as its chunk arrives, not after everything before it
    tail = summary.lineCount - Math.max(1, target - ERROR_CONTEXT) + 1;
  }
  if (typeof window.EventSource === 'function') connectEventSource(tail);
  else poll();
}

start();
