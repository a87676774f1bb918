// Shared helpers of the Tailboard pages: where the API is, statuses, times and durations.

/** The API root, found from this module's own URL so the WAR may live under any context path. */
export const API = new URL('../api/', import.meta.url);

/** The application root (the dashboard). */
export const ROOT = new URL('../', import.meta.url);

export function api(path) {
  return new URL(path, API).toString();
}

export const TERMINAL = new Set(['passed', 'failed', 'canceled', 'errored']);
export const STATUSES = ['queued', 'running', 'passed', 'failed', 'canceled', 'errored'];

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
