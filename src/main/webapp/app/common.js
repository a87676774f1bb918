// Shared helpers of the Tailboard pages and of their stream worker (app/stream-worker.js, a
// module worker that imports this file): where the API is, statuses and event types, ids, an
// EventSource's state, backoff, times and durations. A worker has no document: nothing here may
// touch the DOM when the module loads, only inside the functions the pages call.

/** The API root, found from this module's own URL so the WAR may live under any context path. */
export const API = new URL('../api/', import.meta.url);

/** The application root (the dashboard). */
export const ROOT = new URL('../', import.meta.url);

export function api(path) {
  return new URL(path, API).toString();
}

export const TERMINAL = new Set(['passed', 'failed', 'canceled', 'errored']);
export const STATUSES = ['queued', 'running', 'passed', 'failed', 'canceled', 'errored'];

/** The event types of a build's stream. */
export const TYPES = ['build', 'log', 'step', 'status', 'reset', 'mask', 'annotation'];

/** A random id, unique enough to tell tabs, clients and messages apart. */
export function randomId() {
  return crypto.randomUUID
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Reports the state of EventSource `es` to `onState`: 'live' when it opens, 'reconnecting' while
 * it retries, 'failed' (and closes it) when it is refused, every stream is over (204), or it
 * never got through in three tries. Returns its counters, `{opened, failures}`, kept up to date.
 */
export function watchSource(es, onState) {
  const counts = { opened: false, failures: 0 };
  es.onopen = () => {
    counts.opened = true;
    counts.failures = 0;
    onState('live');
  };
  es.onerror = () => {
    counts.failures++;
    if (es.readyState === EventSource.CLOSED || (!counts.opened && counts.failures >= 3)) {
      es.close();
      onState('failed');
    } else {
      onState('reconnecting');
    }
  };
  return counts;
}

/** The wait before retry `attempt` (from 0): exponential backoff with full jitter. */
export function backoff(attempt, base, cap = 30000) {
  return Math.random() * Math.min(cap, base * 2 ** attempt);
}

/** The element `selector` finds in the page. */
export const $ = (selector) => document.querySelector(selector);

/** Shows connection state `state` in `badge` and on the body (`data-connection`). */
export function showConnection(badge, state) {
  badge.textContent = state;
  badge.className = `conn conn-${state.replace(/\W+/g, '-')}`;
  document.body.dataset.connection = state;
}

/** A status badge element. */
export function statusBadge(status) {
  const span = document.createElement('span');
  span.className = `status status-${status || 'unknown'}`;
  span.textContent = status || '?';
  return span;
}

/** "4s", "2m 05s", "1h 02m". */
export function formatDuration(ms) {
  if (ms == null || !isFinite(ms) || ms < 0) return '';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** How long a build has run: started → finished, or started → now while it runs. */
export function buildDuration(b, now = Date.now()) {
  if (!b || !b.startedAt) return '';
  const start = Date.parse(b.startedAt);
  const end = b.finishedAt ? Date.parse(b.finishedAt) : now;
  return formatDuration(end - start);
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toLocaleString();
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
