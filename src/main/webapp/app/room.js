// The room panel: a collaboration room (docs/protocol.md, "Collaboration rooms (WebSocket)") with its
// members, the shared notes (notes.js), a chat, and, on a build page, pointing at log lines.
// Clicking a line number points everyone else at it; a line someone points at is marked in their
// colour for a few seconds and scrolled to when it is off screen. Reconnects with exponential
// backoff and full jitter, resuming its session from the highest stored seq it has seen.
//
// It connects on arrival: anyone who may read the room watches it live (members, chat, notes).
// Writing needs a signed-in caller (the `tailboard_token` cookie); the server says which in its
// `welcome` (`you` is null for a watcher). A watcher gets "Sign in to chat" instead of the chat
// box: pasting a token there sets the cookie (POST /api/session) and joins again as a member,
// named by the token's subject.

import { ROOT, api, backoff, randomId } from './common.js';

const POINT_MS = 4000;
const BACKOFF_BASE = 500;
const BACKOFF_CAP = 30000;

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text != null) e.textContent = text;
  return e;
}

/**
 * Joins room `room` (`build-<id>` or a free room's name) and renders it into `panel`. On a build
 * page `view` is the page's LogView and `onReveal` runs when a pointed line is scrolled to (the
 * page stops following the tail); a free room has no view.
 */
export function joinRoom({ room, panel, view = null, onReveal = () => {} }) {
  const url = new URL(`ws/rooms/${encodeURIComponent(room)}`, ROOT);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

  // ---- the panel ----
  const state = el('span', 'room-state', 'offline');
  const head = el('header', 'room-head');
  head.append(el('strong', null, 'Room'), state);
  const signIn = el('div', 'room-signin');
  signIn.id = 'room-signin';
  signIn.hidden = true;
  const signInLink = el('a', null, 'Sign in to chat');
  signInLink.id = 'room-signin-link';
  signInLink.href = '#room-signin';
  const signInForm = el('form', 'room-signin-form');
  signInForm.hidden = true;
  const tokenInput = el('input');
  tokenInput.id = 'room-token';
  tokenInput.type = 'password';
  tokenInput.autocomplete = 'off';
  tokenInput.required = true;
  tokenInput.placeholder = 'paste a token';
  tokenInput.setAttribute('aria-label', 'token');
  signInForm.append(tokenInput, el('button', null, 'Sign in'));
  const signInError = el('p', 'room-signin-error');
  signInError.id = 'room-signin-error';
  signIn.append(signInLink, signInForm, signInError);
  const memberList = el('ul', 'room-members');
  memberList.id = 'room-members';
  const notesBox = el('section', 'room-notes');
  notesBox.id = 'room-notes';
  const chatList = el('ol', 'room-chat');
  chatList.id = 'room-chat';
  const sayForm = el('form', 'room-say');
  const sayInput = el('input');
  sayInput.id = 'room-text';
  sayInput.maxLength = 10000;
  sayInput.autocomplete = 'off';
  sayInput.placeholder = 'chat';
  const sayButton = el('button', null, 'Send');
  sayForm.append(sayInput, sayButton);
  panel.replaceChildren(head, memberList, notesBox, chatList, sayForm, signIn);
  // CodeMirror loads on its own (a dynamic import), so the log does not wait for the editor;
  // frames for the notes that come before it is ready wait in `early`.
  let notes = null;
  const early = [];
  const withNotes = (f) => (notes ? f(notes) : early.push(f));
  import('./notes.js').then(({ createNotes }) => {
    notes = createNotes({ parent: notesBox, send: (msg) => send(msg) });
    early.splice(0).forEach((f) => f(notes));
  });

  // ---- room state ----
  let ws = null;
  let session = null; // this member's resume secret (from welcome), never shown to anyone
  let you = null; // this page's member; null while watching
  let welcomed = false;
  let seq = 0; // the highest stored seq seen
  let attempt = 0;
  let retryTimer = null;
  let stopped = false;
  const members = new Map(); // member id -> { member, count } (a resume may overlap its old socket)
  const chats = new Map(); // chat id -> { seq, from, text, ts }
  const outbox = new Map(); // chat id -> text, until acked
  const pointTimers = new Map(); // line -> timeout

  function setState(s) {
    state.textContent = s;
    panel.dataset.state = s;
  }

  function renderMembers() {
    memberList.replaceChildren();
    for (const { member } of members.values()) {
      const li = el('li', 'room-member', member.name);
      li.style.setProperty('--member', member.color);
      li.dataset.id = member.id;
      if (member.unverified) {
        li.classList.add('unverified');
        li.title = 'not signed in: the name is its own';
      }
      if (you && member.id === you.id) li.classList.add('you');
      memberList.append(li);
    }
  }

  function renderChat() {
    const atEnd = chatList.scrollTop + chatList.clientHeight >= chatList.scrollHeight - 4;
    chatList.replaceChildren();
    const sorted = [...chats.values()].sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
    for (const c of sorted) {
      const li = el('li', 'room-message');
      li.dataset.id = c.id;
      if (c.seq == null) li.classList.add('pending');
      const who = el('span', 'room-from', c.from ? c.from.name : '');
      if (c.from) who.style.color = c.from.color;
      if (c.ts) who.title = new Date(c.ts).toLocaleString();
      li.append(who, el('span', 'room-text', c.text));
      chatList.append(li);
    }
    if (atEnd) chatList.scrollTop = chatList.scrollHeight;
  }

  function addChat(c) {
    if (!c || !c.id) return;
    const known = chats.get(c.id);
    if (known && known.seq != null) return; // seen already (welcome replay, resume, echo)
    chats.set(c.id, c);
    if (c.seq > seq) seq = c.seq;
    renderChat();
  }

  function join(member) {
    const m = members.get(member.id);
    if (m) {
      m.member = member;
      m.count++;
    } else {
      members.set(member.id, { member, count: 1 });
    }
  }

  function leave(member) {
    const m = members.get(member.id);
    if (m && --m.count <= 0) {
      members.delete(member.id);
      withNotes((n) => n.left(member.id));
    }
  }

  function pointed(line, color) {
    const n = Number(line);
    if (!view || !Number.isInteger(n) || n < 1) return;
    let row = view.line(n);
    const r = row && !row.hidden && row.getBoundingClientRect();
    if (!r || r.bottom <= 0 || r.top >= window.innerHeight) {
      onReveal(n);
      row = view.reveal(n);
    }
    view.mark(n, color);
    clearTimeout(pointTimers.get(n));
    pointTimers.set(
      n,
      setTimeout(() => {
        pointTimers.delete(n);
        view.mark(n, null);
      }, POINT_MS),
    );
  }

  /** Sends a frame once welcomed; the writes only from a member (a watcher's would be refused). */
  function send(msg) {
    const write = msg.type !== 'doc.pull';
    if (ws && ws.readyState === WebSocket.OPEN && welcomed && (you || !write)) {
      ws.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  function onMessage(msg) {
    if (typeof msg.seq === 'number' && msg.type !== 'welcome' && msg.seq > seq) seq = msg.seq;
    switch (msg.type) {
      case 'welcome':
        session = msg.resume || null;
        you = msg.you || null;
        welcomed = true;
        attempt = 0;
        panel.dataset.role = you ? 'member' : 'watcher';
        sayForm.hidden = !you;
        signIn.hidden = !!you;
        if (msg.seq > seq) seq = msg.seq;
        members.clear();
        for (const m of msg.members || []) join(m);
        renderMembers();
        for (const c of msg.chat || []) addChat(c);
        withNotes((n) => n.welcome(msg.docs && msg.docs.notes, !!you));
        setState('live');
        if (you) {
          for (const [id, text] of outbox) ws.send(JSON.stringify({ type: 'chat', id, text }));
        }
        break;
      case 'presence':
        if (msg.event === 'joined') join(msg.member);
        else if (msg.event === 'left') leave(msg.member);
        renderMembers();
        break;
      case 'chat':
        outbox.delete(msg.id);
        addChat(msg);
        break;
      case 'ack':
        outbox.delete(msg.id);
        break;
      case 'point':
        if (msg.from && msg.from.color) pointed(msg.line, msg.from.color);
        break;
      case 'error':
        if (msg.code === 'unauthorized') {
          // signed out meanwhile (the cookie expired): watch, and offer to sign in
          sayForm.hidden = true;
          signIn.hidden = false;
        }
        console.warn('room:', msg.code, msg.message);
        break;
      default:
        withNotes((n) => n.handle(msg)); // doc.* and cursor
        break;
    }
  }

  function connect() {
    setState(attempt ? 'reconnecting' : 'connecting');
    const socket = new WebSocket(url);
    ws = socket;
    socket.onopen = () => {
      const hello = { type: 'hello' };
      if (session) hello.resume = { session, seq };
      else if (seq) hello.resume = { seq };
      socket.send(JSON.stringify(hello));
    };
    socket.onmessage = (e) => {
      if (ws !== socket) return;
      try {
        onMessage(JSON.parse(e.data));
      } catch (err) {
        console.warn('room: bad frame', err);
      }
    };
    socket.onclose = (e) => {
      if (ws !== socket) return;
      ws = null;
      you = null;
      welcomed = false;
      withNotes((n) => n.offline());
      if (stopped) return;
      if (e.code === 1008) {
        setState('refused'); // no access without a token (or with this one): signing in may help
        sayForm.hidden = true;
        signIn.hidden = false;
        return;
      }
      // exponential backoff with full jitter
      const delay = backoff(attempt++, BACKOFF_BASE, BACKOFF_CAP);
      setState('reconnecting');
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, delay);
    };
  }

  // ---- the user ----
  signInLink.addEventListener('click', (e) => {
    e.preventDefault();
    signInForm.hidden = false;
    tokenInput.focus();
  });

  signInForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    signInError.textContent = '';
    let res;
    try {
      res = await fetch(api('session'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token: tokenInput.value.trim() }),
        credentials: 'same-origin',
      });
    } catch (err) {
      signInError.textContent = 'cannot reach the server';
      return;
    }
    if (!res.ok) {
      signInError.textContent = 'that token is not valid';
      return;
    }
    tokenInput.value = '';
    signInForm.hidden = true;
    rejoin();
  });

  /** Joins again on a new socket (now with the cookie): a member if the token may write here. */
  function rejoin() {
    clearTimeout(retryTimer);
    retryTimer = null;
    const old = ws;
    ws = null;
    you = null;
    welcomed = false;
    session = null;
    if (old) old.close(1000);
    connect();
  }

  sayForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = sayInput.value.trim();
    if (!text) return;
    const id = randomId();
    outbox.set(id, text);
    chats.set(id, { id, text, seq: null, from: you });
    renderChat();
    send({ type: 'chat', id, text }); // else sent after the next welcome (a member's)
    sayInput.value = '';
  });

  // The line numbers link to #L<n> (build.js highlights it); the room is told too.
  view?.root.addEventListener('click', (e) => {
    const a = e.target.closest('a.ln');
    const row = a && a.closest('.line');
    if (row) send({ type: 'point', line: Number(row.dataset.n) });
  });

  window.addEventListener('pagehide', () => {
    stopped = true;
    if (ws) ws.close(1000);
  });

  /** The server is back (the page's stream is live again, or the network is): retry now. */
  function nudge() {
    if (!retryTimer) return;
    clearTimeout(retryTimer);
    retryTimer = null;
    connect();
  }
  window.addEventListener('online', nudge);

  connect(); // watching at once; a member if signed in
  return { nudge };
}
