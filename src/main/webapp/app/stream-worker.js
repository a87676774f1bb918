// The SharedWorker behind app/streams.js: every tab of this browser on this server gets its build
// streams and the dashboard feed through ONE EventSource to /api/streams (README, "HTTP API"), so
// ten open builds do not use up HTTP/1.1's six connections per host.
//
// Each tab's stream has a key on the shared connection and a position (the last event id it got,
// or the tail it asked for). When the set of streams changes the connection is reopened with
// every position, so nothing is lost or repeated; a network drop is resumed by EventSource itself,
// whose Last-Event-ID lists every position. A tab that goes away releases a Web Lock it holds,
// which tells this worker to drop its streams.
//
// A module worker (app/streams.js starts it with type 'module'), so it shares app/common.js with
// the pages; module workers get no import map, so it imports by relative path only.

import { TERMINAL, TYPES, api, watchSource } from './common.js';

const FEED = '0'; // stream keys count up from 1 in base 36, so they never clash with it

const streams = new Map(); // key -> { port, sub, build, tail, after, done }
const feeds = new Map(); // `${tab}/${sub}` -> { port, sub, tab }
const tabs = new Map(); // tab id -> port
let nextKey = 1;
let source = null;
let counts = null; // the source's { opened, failures } (watchSource)
let reopenTimer = null;

function post(port, msg) {
  try {
    port.postMessage(msg);
  } catch (err) {
    // the tab is gone; its lock will tell us
  }
}

function everyone(msg) {
  for (const s of streams.values()) if (!s.done) post(s.port, { sub: s.sub, ...msg });
  for (const f of feeds.values()) post(f.port, { sub: f.sub, ...msg });
}

function url() {
  const u = new URL(api('streams'));
  for (const [key, s] of streams) {
    if (s.done) continue;
    let spec = `${key}.${s.build}`;
    if (s.after != null) spec += s.epoch ? `:${s.epoch}.${s.after}` : `:${s.after}`;
    else if (s.tail) spec += `~${s.tail}`;
    u.searchParams.append('s', spec);
  }
  if (feeds.size) u.searchParams.set('feed', FEED);
  return u;
}

function reopenSoon() {
  // tabs often open or close several streams at once: one reconnect for all of them
  clearTimeout(reopenTimer);
  reopenTimer = setTimeout(reopen, 20);
}

function reopen() {
  if (source) source.close();
  source = null;
  const wanted = [...streams.values()].some((s) => !s.done) || feeds.size > 0;
  if (!wanted) return;
  const es = new EventSource(url());
  source = es;
  for (const type of TYPES) es.addEventListener(type, (e) => onEvent(es, type, e));
  counts = watchSource(es, (state) => {
    if (source !== es) return;
    if (state !== 'failed') {
      everyone({ state });
      return;
    }
    source = null;
    for (const [key, s] of streams) {
      if (!s.done) {
        post(s.port, { sub: s.sub, state: 'failed' });
        streams.delete(key);
      }
    }
    for (const f of feeds.values()) post(f.port, { sub: f.sub, state: 'failed' });
    feeds.clear();
  });
}

function onEvent(es, type, e) {
  if (source !== es) return;
  const wrapped = JSON.parse(e.data);
  if (wrapped.key === FEED) {
    for (const f of feeds.values()) post(f.port, { sub: f.sub, type, data: wrapped.data });
    return;
  }
  const s = streams.get(wrapped.key);
  if (!s) return;
  if (wrapped.id) {
    s.after = wrapped.id;
    // ids are EPOCH/positions: a position is only good in its database's history
    s.epoch = e.lastEventId.split('/')[0];
  }
  if (type === 'reset') s.after = null;
  if (type === 'status' && TERMINAL.has(wrapped.data.status)) s.done = true;
  post(s.port, { sub: s.sub, type, data: wrapped.data, id: wrapped.id || 0 });
}

function dropTab(tab) {
  const port = tabs.get(tab);
  tabs.delete(tab);
  let changed = false;
  for (const [key, s] of streams) {
    if (s.port === port) {
      streams.delete(key);
      changed = true;
    }
  }
  for (const [id, f] of feeds) {
    if (f.tab === tab) {
      feeds.delete(id);
      changed = true;
    }
  }
  if (changed) reopenSoon();
}

function onMessage(port, msg) {
  switch (msg.op) {
    case 'hello':
      // the tab holds this lock as long as it lives
      tabs.set(msg.tab, port);
      if (self.navigator.locks) {
        self.navigator.locks.request(`tailboard-tab-${msg.tab}`, () => dropTab(msg.tab));
      }
      break;
    case 'open':
      streams.set((nextKey++).toString(36), {
        port,
        sub: msg.sub,
        build: msg.build,
        tail: msg.tail || 0,
        after: null,
        done: false,
      });
      reopenSoon();
      break;
    case 'feed':
      feeds.set(`${msg.tab}/${msg.sub}`, { port, sub: msg.sub, tab: msg.tab });
      reopenSoon();
      break;
    case 'close':
      for (const [key, s] of streams) if (s.port === port && s.sub === msg.sub) streams.delete(key);
      feeds.delete(`${msg.tab}/${msg.sub}`);
      reopenSoon();
      break;
    case 'stats':
      post(port, {
        stats: {
          connections: source ? 1 : 0,
          streams: [...streams.values()].filter((s) => !s.done).length,
          feeds: feeds.size,
          tabs: tabs.size,
          readyState: source ? source.readyState : null,
          url: source ? source.url : null,
          opened: counts ? counts.opened : false,
          failures: counts ? counts.failures : 0,
        },
      });
      break;
    default:
      break;
  }
}

self.onconnect = (e) => {
  const port = e.ports[0];
  port.onmessage = (m) => onMessage(port, m.data);
  port.start();
};
