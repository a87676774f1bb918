// Two real @codemirror/collab clients against Tailboard's shared-notes authority (docs/protocol.md).
//
//   node collab.mjs <ws-base-url> <room> [second-ws-base-url] [seed]
//
// The first client (and the later newcomers) connect to <ws-base-url>, the second to
// <second-ws-base-url> if given (another node of a cluster), else to <ws-base-url> too; a third
// argument that is not a ws:// or wss:// URL is taken as the seed, as before.
//
// Both clients join <room>, start from the document state of their `welcome`, and type random
// insertions, deletions and replacements (with emoji, CJK, newlines) at random positions at the
// same time. Each pushes its sendable updates as soon as it may, without waiting for the other's
// confirmations, so pushes race and some are rejected; on `doc.reject` a client pulls, applies the
// updates with receiveUpdates and pushes its (thereby rebased) sendable updates again. At the end
// both must be synced to the same version with nothing left to send, and a third connection's
// welcome must hold the same text at that version.
//
// Prints one JSON summary line and exits 0, or prints the reason (and the recent frames of each
// client on stderr) and exits 1. Gives up after 60 s. Writing in a room needs a signed-in caller:
// COLLAB_TOKEN (a token with read on the room's build project, any valid token for a free room)
// goes on every handshake as `Authorization: Bearer`; without it the clients are watchers and
// their pushes get `error unauthorized`. The edits come from a seeded PRNG
// (COLLAB_SEED or the third argument); the interleaving still depends on timing.

import { ChangeSet, EditorState } from "@codemirror/state";
import { collab, getClientID, getSyncedVersion, receiveUpdates, sendableUpdates } from "@codemirror/collab";
import WebSocket from "ws";

const [base, room, ...rest] = process.argv.slice(2);
if (!base || !room) {
  console.log("usage: node collab.mjs <ws-base-url> <room> [second-ws-base-url] [seed]");
  process.exit(2);
}
const secondBase = /^wss?:\/\//.test(rest[0] ?? "") ? rest.shift() : base;
const seedArg = rest[0];
const SEED = Number(seedArg ?? process.env.COLLAB_SEED ?? 20240611) >>> 0;
const EDITS_PER_CLIENT = Number(process.env.COLLAB_EDITS_PER_CLIENT ?? 80);
const TIMEOUT_MS = 60_000;
/** Minimum spacing of one client's frames: 40/s, under the server's 50/s per connection. */
const SEND_SPACING_MS = 25;
const DOC = "notes";
const TOKEN = process.env.COLLAB_TOKEN;
const HEADERS = TOKEN ? { headers: { Authorization: `Bearer ${TOKEN}` } } : {};
const roomUrl = (b) => `${b.replace(/\/+$/, "")}/ws/rooms/${encodeURIComponent(room)}`;

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32)

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const int = (n) => Math.floor(random() * n); // 0 .. n-1
const pick = (list) => list[int(list.length)];

const PIECES = [
  "a", "b", "x", "the ", "notes ", "build #42 ", "é", "ß", "中文", "ä\u0308", "\t", "\"q\"", "\\",
  "😀", "👍🏽", "👨‍👩‍👧", "🚀", "\n", "\n\n", "line\nbreak", "\r\n", "x\ny\nz", "{}", "<b>", "🎉\n",
];

// ---------------------------------------------------------------------------------------------
// Failure handling

class Failure extends Error {}
const clients = [];
let finished = false;

function fail(reason) {
  if (finished) return;
  finished = true;
  console.log(`FAIL: ${reason}`);
  for (const c of clients) {
    console.error(`--- last frames of ${c.name} (clientID ${c.clientID ?? "?"}) ---`);
    for (const line of c.log) console.error(line);
  }
  for (const c of clients) c.ws?.terminate();
  process.exit(1);
}

const timer = setTimeout(() => fail(`timed out after ${TIMEOUT_MS / 1000} s (${progress()})`), TIMEOUT_MS);
timer.unref();
process.on("uncaughtException", (e) => fail(e instanceof Failure ? e.message : e.stack || String(e)));
process.on("unhandledRejection", (e) => fail(e instanceof Failure ? e.message : e?.stack || String(e)));

function progress() {
  return clients
    .map(
      (c) =>
        `${c.name}: edits=${c.edits} synced=${c.state ? getSyncedVersion(c.state) : "?"} ` +
        `sendable=${c.state ? sendableUpdates(c.state).length : "?"} inflight=${c.inflight} ` +
        `pulling=${c.pulling} wantPull=${c.wantPull} rejects=${c.rejects}`,
    )
    .join("; ");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// A collab client: one WebSocket, one EditorState with the collab extension

class Client {
  constructor(name, url = roomUrl(base)) {
    this.name = name;
    this.url = url;
    this.log = []; // the last frames sent (>) and received (<), for failure reports
    this.edits = 0;
    this.rejects = 0;
    this.pushes = 0;
    this.pulls = 0;
    this.inflight = false; // a push is out: waiting for our updates to come back, or a reject
    this.inflightVersion = -1;
    this.inflightCount = 0;
    this.pulling = false; // a pull is out: waiting for its doc.updates (the one without seq)
    this.wantPull = false;
    this.lastSend = 0;
    this.pumpTimer = null;
    this.broadcastUpdates = 0; // updates seen in broadcast doc.updates (those carrying seq)
    this.nextBroadcastVersion = -1;
    this.lastSeq = -1;
    this.closed = false;
    this.waiters = [];
  }

  record(direction, text) {
    this.log.push(`${new Date().toISOString()} ${direction} ${text.length > 600 ? text.slice(0, 600) + "…" : text}`);
    if (this.log.length > 40) this.log.shift();
  }

  /** Opens the socket, says hello and starts from the welcome. */
  async join() {
    this.ws = new WebSocket(this.url, HEADERS);
    this.ws.on("message", (data, isBinary) => {
      const text = isBinary ? null : data.toString("utf8");
      if (text == null) throw new Failure(`${this.name} got a binary frame`);
      this.record("<", text);
      try {
        this.onFrame(text);
      } catch (e) {
        fail(e instanceof Failure ? e.message : e?.stack || String(e));
      }
    });
    this.ws.on("close", (code, reason) => {
      this.closed = true;
      this.record("x", `closed ${code} ${reason}`);
      if (!finished && !this.closing) fail(`${this.name}'s socket closed: ${code} ${reason}`);
    });
    this.ws.on("error", (e) => fail(`${this.name}'s socket failed: ${e.message}`));
    await new Promise((resolve) => this.ws.once("open", resolve));
    const welcome = this.expect("welcome");
    this.sendNow({ type: "hello", name: this.name });
    this.welcome = await welcome;
    const notes = this.welcome.docs?.[DOC];
    if (!notes || !Number.isInteger(notes.version) || typeof notes.text !== "string") {
      throw new Failure(`${this.name}: welcome has no docs.notes {version, text}: ${JSON.stringify(this.welcome)}`);
    }
    this.clientID = this.welcome.you?.id ?? this.welcome.session;
    if (typeof this.clientID !== "string" || !this.clientID) {
      throw new Failure(`${this.name}: welcome has no you.id: ${JSON.stringify(this.welcome)}`);
    }
    this.startVersion = notes.version;
    this.nextBroadcastVersion = notes.version;
    this.state = EditorState.create({
      doc: notes.text,
      extensions: [collab({ startVersion: notes.version, clientID: this.clientID })],
    });
    if (getClientID(this.state) !== this.clientID) throw new Failure("collab did not take the clientID");
  }

  /** Resolves with the next frame of this type that arrives. */
  expect(type) {
    return new Promise((resolve) => this.waiters.push({ type, resolve }));
  }

  sendNow(frame) {
    const text = JSON.stringify(frame);
    this.record(">", text);
    this.lastSend = Date.now();
    this.ws.send(text);
  }

  onFrame(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      throw new Failure(`${this.name} got a frame that is not JSON: ${text}`);
    }
    const waiter = this.waiters.findIndex((w) => w.type === msg.type);
    if (waiter >= 0) {
      this.waiters.splice(waiter, 1)[0].resolve(msg);
      return;
    }
    switch (msg.type) {
      case "doc.updates":
        this.onUpdates(msg, text);
        break;
      case "doc.reject":
        this.onReject(msg, text);
        break;
      case "doc.snapshot":
        throw new Failure(`${this.name} got a doc.snapshot although it never fell behind: ${text}`);
      case "error":
        throw new Failure(`${this.name} got an error frame: ${text}`);
      case "presence":
      case "pong":
      case "cursor":
      case "point":
        break;
      default:
        throw new Failure(`${this.name} got an unexpected frame: ${text}`);
    }
    this.pump();
  }

  onUpdates(msg, text) {
    if (msg.doc !== DOC || !Number.isInteger(msg.version) || !Array.isArray(msg.updates)) {
      throw new Failure(`${this.name}: malformed doc.updates: ${text}`);
    }
    const broadcast = msg.seq !== undefined && msg.seq !== null;
    if (broadcast) {
      // Every accepted push reaches every member once, in order: versions must be contiguous.
      if (msg.version !== this.nextBroadcastVersion) {
        throw new Failure(
          `${this.name}: broadcast doc.updates for version ${msg.version}, expected ${this.nextBroadcastVersion} ` +
            `(the previous broadcast ended there): ${text}`,
        );
      }
      if (msg.updates.length === 0) throw new Failure(`${this.name}: broadcast doc.updates without updates: ${text}`);
      if (!(msg.seq > this.lastSeq)) throw new Failure(`${this.name}: seq ${msg.seq} after ${this.lastSeq}: ${text}`);
      this.lastSeq = msg.seq;
      this.nextBroadcastVersion += msg.updates.length;
      this.broadcastUpdates += msg.updates.length;
    } else {
      if (!this.pulling) throw new Failure(`${this.name}: doc.updates without seq but no pull was out: ${text}`);
      if (msg.version !== this.pullVersion) {
        throw new Failure(`${this.name}: pulled from version ${this.pullVersion}, answer is from ${msg.version}: ${text}`);
      }
      this.pulling = false;
    }
    const synced = getSyncedVersion(this.state);
    if (msg.version > synced) {
      throw new Failure(`${this.name}: doc.updates start at version ${msg.version} but this client is at ${synced}: a gap: ${text}`);
    }
    // Updates before our synced version were already received (a broadcast and a pull overlap).
    const fresh = msg.updates.slice(synced - msg.version);
    if (fresh.length === 0) return;
    const updates = fresh.map((u, i) => {
      if (typeof u.clientID !== "string" || !Array.isArray(u.changes)) {
        throw new Failure(`${this.name}: update ${i} lacks clientID or changes: ${text}`);
      }
      let changes;
      try {
        changes = ChangeSet.fromJSON(u.changes);
      } catch (e) {
        throw new Failure(`${this.name}: update ${i} has changes CodeMirror cannot read (${e.message}): ${text}`);
      }
      return { changes, clientID: u.clientID };
    });
    const ownCount = updates.filter((u) => u.clientID === this.clientID).length;
    if (ownCount > 0) {
      // Our push was accepted: all of it, in one frame, at the version we pushed.
      if (!this.inflight) throw new Failure(`${this.name}: got its own updates back but had no push out: ${text}`);
      const first = updates.findIndex((u) => u.clientID === this.clientID);
      if (ownCount !== this.inflightCount || synced + first !== this.inflightVersion) {
        throw new Failure(
          `${this.name}: pushed ${this.inflightCount} update(s) at version ${this.inflightVersion}, ` +
            `got ${ownCount} back at version ${synced + first}: ${text}`,
        );
      }
    }
    try {
      this.state = receiveUpdates(this.state, updates).state;
    } catch (e) {
      // CodeMirror composes and maps the changes: it throws when they do not fit the document.
      throw new Failure(`${this.name}: receiveUpdates failed at version ${synced} (${e.message}): ${text}`);
    }
    if (ownCount > 0) this.inflight = false;
  }

  onReject(msg, text) {
    if (msg.doc !== DOC || !Number.isInteger(msg.version)) throw new Failure(`${this.name}: malformed doc.reject: ${text}`);
    if (!this.inflight) throw new Failure(`${this.name}: doc.reject but no push was out: ${text}`);
    if (msg.version === this.inflightVersion) {
      throw new Failure(`${this.name}: push at version ${this.inflightVersion} rejected although that is the version the server names: ${text}`);
    }
    if (msg.version < getSyncedVersion(this.state)) {
      throw new Failure(`${this.name}: doc.reject names version ${msg.version}, older than this client's ${getSyncedVersion(this.state)}: ${text}`);
    }
    this.rejects++;
    this.inflight = false;
    this.wantPull = true;
  }

  /** One random local edit, as a user's transaction (one collab update). */
  edit() {
    const doc = this.state.doc;
    const len = doc.length;
    const pos = () => snap(doc, int(len + 1));
    const insert = () => {
      let s = pick(PIECES);
      while (random() < 0.3) s += pick(PIECES);
      return s;
    };
    const change = () => {
      const kind = len === 0 ? 0 : int(10);
      if (kind < 6) return { from: pos(), insert: insert() }; // insertion
      const from = snap(doc, int(len)); // 0 .. len-1
      let to = snap(doc, Math.min(len, from + 1 + int(6)));
      if (to <= from) to = from + 2; // from + 1 was inside a surrogate pair: take the pair
      if (kind < 9) return { from, to }; // deletion
      return { from, to, insert: insert() }; // replacement
    };
    const spec = [change()];
    if (len > 20 && random() < 0.15) {
      // Two changes in one transaction: several sections in one ChangeSet.
      const other = change();
      const end = (c) => c.to ?? c.from;
      if (end(other) < spec[0].from || end(spec[0]) < other.from) spec.push(other);
    }
    const tr = this.state.update({ changes: spec, userEvent: "input" });
    if (tr.changes.empty) return false;
    this.state = tr.state;
    this.edits++;
    return true;
  }

  /** Sends what the protocol calls for next, at most one frame per SEND_SPACING_MS. */
  pump() {
    if (finished || this.closed || this.pumpTimer) return;
    const wait = this.lastSend + SEND_SPACING_MS - Date.now();
    const next = this.nextFrame(false);
    if (!next) return;
    if (wait > 0) {
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = null;
        this.pump();
      }, wait);
      return;
    }
    this.sendNow(this.nextFrame(true));
  }

  nextFrame(commit) {
    if (this.pulling || this.inflight) return null;
    if (this.wantPull) {
      if (!commit) return true;
      this.wantPull = false;
      this.pulling = true;
      this.pulls++;
      this.pullVersion = getSyncedVersion(this.state);
      return { type: "doc.pull", doc: DOC, version: this.pullVersion };
    }
    const sendable = sendableUpdates(this.state);
    if (sendable.length === 0) return null;
    if (!commit) return true;
    this.inflight = true;
    this.pushes++;
    this.inflightVersion = getSyncedVersion(this.state);
    this.inflightCount = sendable.length;
    return {
      type: "doc.push",
      doc: DOC,
      version: this.inflightVersion,
      updates: sendable.map((u) => ({ clientID: u.clientID, changes: u.changes.toJSON() })),
    };
  }

  idle() {
    return !this.inflight && !this.pulling && !this.wantPull && !this.pumpTimer && sendableUpdates(this.state).length === 0;
  }

  close() {
    this.closing = true;
    this.ws.close(1000, "done");
  }
}

/** Moves a position off the middle of a surrogate pair, as an editor's cursor never stops there. */
function snap(doc, p) {
  if (p <= 0 || p >= doc.length) return Math.max(0, Math.min(p, doc.length));
  const around = doc.sliceString(p - 1, p + 1);
  const high = around.charCodeAt(0);
  const low = around.charCodeAt(1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? p - 1 : p;
}

/** A connection that only reads the welcome. */
async function readWelcome(name) {
  const c = new Client(name);
  clients.push(c);
  await c.join();
  const notes = c.welcome.docs[DOC];
  c.close();
  return notes;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const a = new Client("alice");
  const b = new Client("bob", roomUrl(secondBase));
  clients.push(a, b);
  await a.join();
  await b.join();
  if (a.state.doc.toString() !== b.state.doc.toString() || a.startVersion !== b.startVersion) {
    throw new Failure(`the two welcomes differ: ${JSON.stringify(a.welcome.docs)} vs ${JSON.stringify(b.welcome.docs)}`);
  }
  const startVersion = a.startVersion;

  // Both type at once: in each step one or both make an edit and push at once if they may.
  while (a.edits < EDITS_PER_CLIENT || b.edits < EDITS_PER_CLIENT) {
    await sleep(5 + int(40));
    const roll = random();
    const who = roll < 0.35 ? [a] : roll < 0.7 ? [b] : [a, b];
    for (const c of who) {
      if (c.edits < EDITS_PER_CLIENT) {
        const bursts = random() < 0.2 ? 2 + int(3) : 1; // sometimes several keystrokes at once
        for (let i = 0; i < bursts; i++) c.edit();
      }
    }
    for (const c of who) c.pump();
  }

  // Let both settle: nothing left to send, same synced version.
  for (;;) {
    a.pump();
    b.pump();
    if (a.idle() && b.idle() && getSyncedVersion(a.state) === getSyncedVersion(b.state)) break;
    await sleep(20);
  }
  const version = getSyncedVersion(a.state);
  const textA = a.state.doc.toString();
  const textB = b.state.doc.toString();
  if (textA !== textB) {
    throw new Failure(`the clients differ at version ${version}:\n alice: ${JSON.stringify(textA)}\n bob:   ${JSON.stringify(textB)}`);
  }
  const edits = a.edits + b.edits;
  const accepted = version - startVersion;
  if (a.broadcastUpdates !== accepted || b.broadcastUpdates !== accepted) {
    throw new Failure(
      `version went from ${startVersion} to ${version} but alice saw ${a.broadcastUpdates} and bob ` +
        `${b.broadcastUpdates} broadcast updates`,
    );
  }
  if (accepted !== edits) {
    throw new Failure(`${edits} edits were made but the server accepted ${accepted} updates`);
  }

  const third = await readWelcome("carol");
  if (third.text !== textA || third.version !== version) {
    throw new Failure(
      `a third client's welcome has version ${third.version} and text ${JSON.stringify(third.text)}; ` +
        `the clients have version ${version} and text ${JSON.stringify(textA)}`,
    );
  }

  // Everyone leaves; a newcomer gets the same document (from the store once the room unloaded).
  a.close();
  b.close();
  await sleep(300);
  const later = await readWelcome("dave");
  if (later.text !== textA || later.version !== version) {
    throw new Failure(
      `after everyone left, a new client's welcome has version ${later.version} and text ` +
        `${JSON.stringify(later.text)}; expected version ${version} and text ${JSON.stringify(textA)}`,
    );
  }

  const rejects = a.rejects + b.rejects;
  if (edits < 100) throw new Failure(`only ${edits} edits`);
  if (rejects === 0) throw new Failure(`no push was rejected in ${a.pushes + b.pushes} pushes: nothing was rebased`);
  finished = true;
  console.log(
    JSON.stringify({
      edits,
      rejects,
      version,
      textLength: textA.length,
      text: textA,
      equal: true,
      pushes: a.pushes + b.pushes,
      pulls: a.pulls + b.pulls,
      seed: SEED,
    }),
  );
  process.exit(0);
}

main().catch((e) => fail(e instanceof Failure ? e.message : e?.stack || String(e)));
