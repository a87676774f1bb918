// The room's shared notes: a CodeMirror 6 editor kept in step with the room's `notes` document
// through @codemirror/collab (docs/protocol.md, "Collaboration rooms": doc.push / doc.pull / doc.updates /
// doc.reject / doc.snapshot), with the other members' cursors drawn in their colours.
//
// The server is the authority: it numbers accepted updates by version and sends them to every
// member, the pusher too. Updates are applied strictly in version order; ones already applied are
// skipped (a resume and a pull may both bring them) and a gap is filled by a pull. At most one
// push is in flight; a reject means "pull, then push again" (collab rebases the local changes).

import { EditorState, ChangeSet, Compartment, StateEffect, StateField } from '@codemirror/state';
import {
  EditorView,
  Decoration,
  WidgetType,
  keymap,
  drawSelection,
  placeholder,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  collab,
  receiveUpdates,
  sendableUpdates,
  getSyncedVersion,
} from '../vendor/codemirror-collab/index.js';
import { randomId } from './common.js';

const DOC = 'notes';
const CURSOR_MS = 100; // at most ten cursor frames a second

// ---- remote cursors ----

const setCursor = StateEffect.define(); // { id, name, color, anchor, head }
const dropCursor = StateEffect.define(); // member id

class CaretWidget extends WidgetType {
  constructor(name, color) {
    super();
    this.name = name;
    this.color = color;
  }

  eq(other) {
    return other.name === this.name && other.color === this.color;
  }

  toDOM() {
    const caret = document.createElement('span');
    caret.className = 'cm-remote-caret';
    caret.style.borderColor = this.color;
    const label = document.createElement('span');
    label.className = 'cm-remote-name';
    label.style.background = this.color;
    label.textContent = this.name;
    caret.append(label);
    return caret;
  }

  ignoreEvent() {
    return true;
  }
}

// Member id -> cursor, mapped through every change so a cursor stays on its text.
const remoteCursors = StateField.define({
  create: () => new Map(),
  update(cursors, tr) {
    let next = cursors;
    if (tr.docChanged) {
      next = new Map();
      for (const [id, c] of cursors) {
        next.set(id, {
          ...c,
          anchor: tr.changes.mapPos(c.anchor),
          head: tr.changes.mapPos(c.head),
        });
      }
    }
    for (const e of tr.effects) {
      if (e.is(setCursor) || e.is(dropCursor)) {
        if (next === cursors) next = new Map(cursors);
        if (e.is(setCursor)) {
          const len = tr.newDoc.length;
          const clamp = (n) => Math.max(0, Math.min(len, n));
          next.set(e.value.id, { ...e.value, anchor: clamp(e.value.anchor), head: clamp(e.value.head) });
        } else {
          next.delete(e.value);
        }
      }
    }
    return next;
  },
  provide: (field) =>
    EditorView.decorations.compute([field], (state) => {
      const ranges = [];
      for (const [id, c] of state.field(field)) {
        const from = Math.min(c.anchor, c.head);
        const to = Math.max(c.anchor, c.head);
        if (from < to) {
          ranges.push(
            Decoration.mark({
              class: 'cm-remote-selection',
              attributes: { style: `background-color: ${c.color}33`, 'data-member': id },
            }).range(from, to),
          );
        }
        ranges.push(
          Decoration.widget({ widget: new CaretWidget(c.name, c.color), side: 1 }).range(c.head),
        );
      }
      return Decoration.set(ranges, true);
    }),
});

// ---- the editor and its sync ----

/**
 * Creates the notes editor in `parent`. `send(msg)` sends a frame to the room and returns false
 * when offline. The room panel feeds it the room's frames through the returned handlers.
 */
export function createNotes({ parent, send }) {
  let view = null;
  let pushing = false; // a doc.push is waiting for its doc.updates or doc.reject
  let pulling = false; // a doc.pull is waiting for its answer
  let cursorTimer = null;
  let writable = false; // a watcher (not signed in) reads the notes, it cannot edit them
  const access = new Compartment();
  const accessExtension = () => [
    EditorState.readOnly.of(!writable),
    EditorView.editable.of(writable),
  ];
  const clientID = randomId();

  function extensions(version) {
    return [
      collab({ startVersion: version, clientID }),
      access.of(accessExtension()),
      history(),
      drawSelection(),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      EditorView.lineWrapping,
      placeholder('Shared notes: everyone in the room edits this together'),
      remoteCursors,
      EditorView.updateListener.of((u) => {
        if (u.docChanged) push();
        if ((u.selectionSet || u.docChanged) && u.view.hasFocus) sendCursorSoon();
      }),
    ];
  }

  function open(version, text) {
    const state = EditorState.create({ doc: text, extensions: extensions(version) });
    if (view) {
      view.setState(state); // a snapshot: the text starts again at the server's version
    } else {
      view = new EditorView({ state, parent });
      view.contentDOM.id = 'notes-editor';
      view.contentDOM.setAttribute('aria-label', 'shared notes');
    }
  }

  function push() {
    if (!view || pushing || pulling) return;
    const updates = sendableUpdates(view.state);
    if (!updates.length) return;
    if (!writable) return;
    const sent = send({
      type: 'doc.push',
      doc: DOC,
      version: getSyncedVersion(view.state),
      updates: updates.map((u) => ({ clientID: u.clientID, changes: u.changes.toJSON() })),
    });
    if (sent) pushing = true;
  }

  function pull() {
    if (!view || pulling) return;
    if (send({ type: 'doc.pull', doc: DOC, version: getSyncedVersion(view.state) })) pulling = true;
  }

  function sendCursorSoon() {
    if (cursorTimer) return;
    cursorTimer = setTimeout(() => {
      cursorTimer = null;
      if (!view || !writable) return;
      const { anchor, head } = view.state.selection.main;
      send({ type: 'cursor', doc: DOC, anchor, head });
    }, CURSOR_MS);
  }

  function applyUpdates(msg) {
    const synced = getSyncedVersion(view.state);
    if (msg.version > synced) {
      pull(); // missed some: fetch from where this editor is
      return;
    }
    const fresh = msg.updates.slice(synced - msg.version);
    if (!fresh.length) return;
    const updates = fresh.map((u) => ({
      clientID: u.clientID,
      changes: ChangeSet.fromJSON(u.changes),
    }));
    view.dispatch(receiveUpdates(view.state, updates)); // confirms our own echoed updates
  }

  return {
    /**
     * The room's welcome (first join or a reconnect): `{version, text}` of the notes, and whether
     * this page may edit them (a member) or only watch.
     */
    welcome(doc, canWrite = true) {
      pushing = false;
      pulling = false;
      writable = canWrite;
      if (view) view.dispatch({ effects: access.reconfigure(accessExtension()) });
      if (!doc) return;
      if (!view) {
        open(doc.version, doc.text);
      } else if (getSyncedVersion(view.state) !== doc.version) {
        pull(); // catch up; collab keeps the unconfirmed local changes and rebases them
      } else {
        push();
      }
    },

    /** A frame of the room for the notes (doc.* or cursor); others are ignored. */
    handle(msg) {
      if (msg.doc !== DOC || !view) return;
      switch (msg.type) {
        case 'doc.updates': {
          const mine = msg.updates.some((u) => u.clientID === clientID);
          applyUpdates(msg);
          if (pulling && getSyncedVersion(view.state) >= msg.version) pulling = false;
          if (mine) pushing = false;
          push();
          break;
        }
        case 'doc.reject':
          pushing = false;
          pull();
          break;
        case 'doc.snapshot':
          pushing = false;
          pulling = false;
          open(msg.version, msg.text); // local changes not yet accepted are lost here
          break;
        case 'cursor':
          if (msg.from) {
            view.dispatch({
              effects: setCursor.of({
                id: msg.from.id,
                name: msg.from.name,
                color: msg.from.color,
                anchor: msg.anchor,
                head: msg.head,
              }),
            });
          }
          break;
        default:
          break;
      }
    },

    /** A member left: their cursor goes. */
    left(memberId) {
      if (view) view.dispatch({ effects: dropCursor.of(memberId) });
    },

    /** The socket closed: whatever was in flight is asked again after the next welcome. */
    offline() {
      pushing = false;
      pulling = false;
    },

    /** The editor's text (tests and the page read it). */
    text() {
      return view ? view.state.doc.toString() : null;
    },
  };
}
