// A page's build streams and dashboard feed. Where the browser has module SharedWorkers, every
// tab shares one connection through app/stream-worker.js (README, "In the browser": ten open builds must not use
// up HTTP/1.1's six connections per host); elsewhere each stream is an EventSource of its own.
// Either way the page sees the same thing: onEvent(type, data, id) for each event and
// onState('live' | 'reconnecting' | 'failed') for the connection; on 'failed' the page long-polls
// instead.

import { TYPES, api, randomId, watchSource } from './common.js';

let port; // the shared worker's port; null where there is none (not tried yet: undefined)
const subs = new Map(); // sub id -> { onEvent, onState }
let nextSub = 1;
const tab = randomId();

/** The shared worker's port, started on first use; null where the browser cannot run it. */
function worker() {
  if (port !== undefined) return port;
  port = null;
  if (typeof SharedWorker !== 'function' || typeof EventSource !== 'function') return null;
  // The worker is a module (it imports common.js). A browser without module workers never reads
  // `type` and would run it as a classic script, which cannot import: there each stream is an
  // EventSource of its own. (The name differs from the classic worker's of older versions: a tab
  // still open from before the upgrade would otherwise refuse this one's type.)
  let module = false;
  const options = {
    name: 'tailboard-streams-module',
    get type() {
      module = true;
      return 'module';
    },
  };
  const shared = new SharedWorker(new URL('./stream-worker.js', import.meta.url), options);
  if (!module) {
    shared.port.close();
    return null;
  }
  const p = shared.port;
  // The worker could not be loaded: its streams have failed (the page polls instead), and the
  // streams opened from now on are EventSources of their own.
  shared.onerror = () => {
    port = null;
    for (const s of subs.values()) s.onState('failed');
    subs.clear();
  };
  p.onmessage = (e) => {
    const m = e.data;
    const s = subs.get(m.sub);
    if (!s) return;
    if (m.state) s.onState(m.state);
    else s.onEvent(m.type, m.data, m.id || 0);
  };
  p.start();
  // Held as long as this tab lives: when it is released the worker drops this tab's streams. The
  // worker is told of it only once it is held, or the worker could take it first.
  if (navigator.locks) {
    navigator.locks.request(`tailboard-tab-${tab}`, () => {
      p.postMessage({ op: 'hello', tab });
      return new Promise(() => {});
    });
  }
  window.addEventListener('pagehide', () => {
    for (const sub of subs.keys()) p.postMessage({ op: 'close', sub, tab });
  });
  // Back from the back-forward cache its streams are gone (closed on pagehide): start afresh.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) location.reload();
  });
  port = p;
  return port;
}

function shared() {
  return worker() !== null;
}

function viaWorker(op, extra, onEvent, onState) {
  const sub = nextSub++;
  subs.set(sub, { onEvent, onState });
  const p = worker();
  p.postMessage({ op, sub, tab, ...extra });
  return {
    close() {
      if (!subs.delete(sub)) return;
      p.postMessage({ op: 'close', sub, tab });
    },
  };
}

/** An EventSource of this page's own, reporting like the shared one. */
function direct(path, types, onEvent, onState) {
  const es = new EventSource(api(path));
  for (const type of types) {
    // ids are EPOCH.ID; the page orders by the event id
    const id = (e) => Number(e.lastEventId.split('.').pop()) || 0;
    es.addEventListener(type, (e) => onEvent(type, JSON.parse(e.data), id(e)));
  }
  watchSource(es, onState);
  return { close: () => es.close() };
}

/**
 * Follows build `build` from its start (or, with `tail`, from its last `tail` lines). Returns
 * `{close()}`.
 */
export function followBuild({ build, tail = 0, onEvent, onState }) {
  if (shared()) return viaWorker('open', { build: Number(build), tail }, onEvent, onState);
  const path = `builds/${build}/events${tail > 0 ? `?tail=${tail}` : ''}`;
  return direct(path, TYPES, onEvent, onState);
}

/** Follows the dashboard feed (`build` events with a summary). Returns `{close()}`. */
export function followFeed({ onEvent, onState }) {
  if (shared()) return viaWorker('feed', {}, onEvent, onState);
  return direct('events', ['build'], onEvent, onState);
}

/** What the shared worker holds (connections, streams, feeds, tabs); null without one. */
export function sharedStats() {
  if (!shared()) return Promise.resolve(null);
  return new Promise((resolve) => {
    const p = worker();
    const listener = (e) => {
      if (e.data.stats) {
        p.removeEventListener('message', listener);
        resolve(e.data.stats);
      }
    };
    p.addEventListener('message', listener);
    p.postMessage({ op: 'stats' });
  });
}
