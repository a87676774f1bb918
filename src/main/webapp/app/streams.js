// A page's build streams and dashboard feed. Where the browser has SharedWorker, every tab shares
// one connection through app/stream-worker.js (SPEC §7: ten open builds must not use up
// HTTP/1.1's six connections per host); elsewhere each stream is an EventSource of its own. Either
// way the page sees the same thing: onEvent(type, data, id) for each event and onState('live' |
// 'reconnecting' | 'failed') for the connection; on 'failed' the page long-polls instead.

import { api } from './common.js';

const TYPES = ['build', 'log', 'step', 'status', 'reset', 'mask'];

let port = null;
const subs = new Map(); // sub id -> { onEvent, onState }
let nextSub = 1;
const tab = crypto.randomUUID
  ? crypto.randomUUID()
  : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

function worker() {
  if (port) return port;
  const shared = new SharedWorker(new URL('./stream-worker.js', import.meta.url), {
    name: 'tailboard-streams',
  });
  port = shared.port;
  port.onmessage = (e) => {
    const m = e.data;
    const s = subs.get(m.sub);
    if (!s) return;
    if (m.state) s.onState(m.state);
    else s.onEvent(m.type, m.data, m.id || 0);
  };
  port.start();
  // Held as long as this tab lives: when it is released the worker drops this tab's streams. The
  // worker is told of it only once it is held, or the worker could take it first.
  if (navigator.locks) {
    navigator.locks.request(`tailboard-tab-${tab}`, () => {
      port.postMessage({ op: 'hello', tab });
      return new Promise(() => {});
    });
  }
  window.addEventListener('pagehide', () => {
    for (const sub of subs.keys()) port.postMessage({ op: 'close', sub, tab });
  });
  // Back from the back-forward cache its streams are gone (closed on pagehide): start afresh.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) location.reload();
  });
  return port;
}

function shared() {
  return typeof SharedWorker === 'function' && typeof EventSource === 'function';
}

function viaWorker(op, extra, onEvent, onState) {
  const sub = nextSub++;
  subs.set(sub, { onEvent, onState });
  worker().postMessage({ op, sub, tab, ...extra });
  return {
    close() {
      if (!subs.delete(sub)) return;
      port.postMessage({ op: 'close', sub, tab });
    },
  };
}

/** An EventSource of this page's own, reporting like the shared one. */
function direct(path, types, onEvent, onState) {
  let opened = false;
  let failures = 0;
  const es = new EventSource(api(path));
  for (const type of types) {
    // ids are EPOCH.ID; the page orders by the event id
    const id = (e) => Number(e.lastEventId.split('.').pop()) || 0;
    es.addEventListener(type, (e) => onEvent(type, JSON.parse(e.data), id(e)));
  }
  es.onopen = () => {
    opened = true;
    failures = 0;
    onState('live');
  };
  es.onerror = () => {
    failures++;
    if (es.readyState === EventSource.CLOSED || (!opened && failures >= 3)) {
      es.close();
      onState('failed');
    } else {
      onState('reconnecting');
    }
  };
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
