'use strict';
// The Node.js peer of Tailboard's benchmarks (bench/all.sh): the same protocol surface as
// src/test/java/dev/tailboard/bench/BareJettyPeer.java, on Node's http module and the npm `ws`
// package, with no store (events are kept in memory). Usage: node server.js PORT
//
//   POST /api/builds                  -> 201 {"id": N}; event 1 of the build is `build`
//   POST /api/builds/{id}/log         {"lines": [...]} -> one `log` event, written to every stream
//   POST /api/builds/{id}/status      {"status": S} -> one `status` event (streams stay open)
//   GET  /api/builds/{id}/events      SSE: events after Last-Event-ID (header or ?lastEventId=)
//                                     replayed from memory, then live; `: ping` every 15 s
//   WS   /ws/rooms/{room}             hello -> welcome; chat -> {type: chat, text} to every member
//   GET  /api/health, GET /bench/heap (a full GC, then process.memoryUsage(); needs --expose-gc)
const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 8080);
const HEARTBEAT_MS = 15000;
const PING_MS = 30000;

/** Builds by id: {events: [encoded SSE event strings, index = id - 1], streams: Set<res>}. */
const builds = new Map();
let nextBuild = 0;

function sseEvent(id, type, data) {
  return `id: ${id}\nevent: ${type}\ndata: ${data}\n\n`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function createBuild(req, res) {
  await readBody(req);
  const id = ++nextBuild;
  const summary = JSON.stringify({ id, project: 'bench', status: 'queued' });
  builds.set(id, { events: [sseEvent(1, 'build', summary)], lines: 0, streams: new Set() });
  json(res, 201, { id });
}

async function appendLog(build, req, res) {
  const body = JSON.parse(await readBody(req));
  const first = build.lines + 1;
  build.lines += body.lines.length;
  const id = build.events.length + 1;
  const event = sseEvent(id, 'log', JSON.stringify({ first, lines: body.lines }));
  build.events.push(event);
  for (const stream of build.streams) {
    stream.write(event);
  }
  json(res, 200, { first, last: build.lines, lastEventId: id });
}

// A finished build for the stalled-reader scenario; its streams are not ended.
async function setStatus(build, req, res) {
  const { status } = JSON.parse(await readBody(req));
  const event = sseEvent(build.events.length + 1, 'status', JSON.stringify({ status }));
  build.events.push(event);
  for (const stream of build.streams) {
    stream.write(event);
  }
  json(res, 200, { status });
}

function stream(build, req, res, url) {
  const header = req.headers['last-event-id'] || url.searchParams.get('lastEventId');
  let after = Number.parseInt(header || '0', 10);
  if (!(after >= 0 && after <= build.events.length)) {
    after = 0;
  }
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 3000\n\n');
  // Node is single-threaded: replay and joining the live set happen with no publish between.
  if (after < build.events.length) {
    res.write(build.events.slice(after).join(''));
  }
  build.streams.add(res);
  const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
  req.on('close', () => {
    clearInterval(heartbeat);
    build.streams.delete(res);
  });
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const path = url.pathname.split('/').filter(Boolean); // ['api', 'builds', id, 'log']
  if (req.method === 'GET' && url.pathname === '/api/health') {
    return json(res, 200, { status: 'ok' });
  }
  if (req.method === 'GET' && url.pathname === '/bench/heap') {
    if (global.gc) {
      global.gc();
    }
    return json(res, 200, process.memoryUsage());
  }
  if (path[0] !== 'api' || path[1] !== 'builds') {
    return json(res, 404, { status: 404 });
  }
  if (path.length === 2 && req.method === 'POST') {
    return createBuild(req, res);
  }
  const build = builds.get(Number(path[2]));
  if (!build) {
    return json(res, 404, { status: 404 });
  }
  if (path[3] === 'log' && req.method === 'POST') {
    return appendLog(build, req, res);
  }
  if (path[3] === 'status' && req.method === 'POST') {
    return setStatus(build, req, res);
  }
  if (path[3] === 'events' && req.method === 'GET') {
    return stream(build, req, res, url);
  }
  return json(res, 404, { status: 404 });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    if (!res.headersSent) {
      json(res, 400, { status: 400, detail: String(e) });
    }
  });
});
server.keepAliveTimeout = 60000;
server.headersTimeout = 65000;
server.requestTimeout = 0; // SSE responses stay open

/** Members by room. */
const rooms = new Map();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

server.on('upgrade', (req, socket, head) => {
  if (String(req.headers.upgrade).toLowerCase() !== 'websocket') {
    // Node hands every request with an Upgrade header here, the JDK HttpClient's h2c offer too:
    // answer it as plain HTTP/1.1 (such requests carry no body here), then close.
    const res = new http.ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.on('finish', () => socket.end());
    handle(req, res).catch(() => socket.destroy());
    return;
  }
  const match = /^\/ws\/rooms\/([a-z0-9-]+)$/.exec(req.url);
  if (!match) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => join(ws, match[1]));
});

function join(ws, room) {
  let members = rooms.get(room);
  if (!members) {
    members = new Set();
    rooms.set(room, members);
  }
  members.add(ws);
  ws.isAlive = true;
  ws.on('pong', () => {
    ws.isAlive = true;
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      return;
    }
    const text = data.toString();
    if (text.startsWith('{"type":"hello"')) {
      ws.send('{"type":"welcome"}');
    } else if (text.startsWith('{"type":"chat"')) {
      const at = text.indexOf('"text":"') + 8;
      const stamp = text.substring(at, text.indexOf('"', at));
      const frame = `{"type":"chat","text":"${stamp}"}`;
      for (const m of members) {
        m.send(frame);
      }
    }
  });
  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0) {
      rooms.delete(room);
    }
  });
}

// WebSocket pings, as Tailboard sends them (ws.pingSeconds); a member whose pong stopped is closed.
setInterval(() => {
  for (const ws of wss.clients) {
    if (!ws.isAlive) {
      ws.terminate();
      continue;
    }
    ws.isAlive = false;
    ws.ping();
  }
}, PING_MS);

server.listen(port, '127.0.0.1', () => console.log(`node peer on 127.0.0.1:${port}`));
