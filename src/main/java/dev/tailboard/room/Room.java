package dev.tailboard.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tailboard.hub.Subscription;
import dev.tailboard.room.Frames.Member;
import dev.tailboard.room.RoomStore.DocUpdate;
import dev.tailboard.room.RoomStore.StoredFrame;
import dev.tailboard.web.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room's live state: its members, its seq, its shared documents. Every method runs under the
 * room's lock, so stored messages get their seq, reach the store and go out to members in one
 * order, and a resuming member's replay and the live messages meet without gap or double.
 */
final class Room {

  static final String NOTES = "notes";
  private static final int CHAT_IN_WELCOME = 50;
  private static final int REPLAY_PAGE = 500;
  private static final int RECENT_CLIENT_IDS = 1000;
  private static final String[] COLORS = {
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324",
    "#469990", "#800000", "#808000", "#000075"
  };

  final String name;
  private final RoomStore store;
  private final Json json;
  private final Map<String, RoomConnection> members = new LinkedHashMap<>();
  private final Map<String, CollabDoc> docs = new LinkedHashMap<>();
  private final Map<String, Integer> snapshotVersions = new LinkedHashMap<>();
  private final Map<String, Long> recentClientIds =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > RECENT_CLIENT_IDS;
        }
      };
  private long seq;
  private boolean unloaded;
  private Subscription relay;

  private Room(String name, RoomStore store, Json json) {
    this.name = name;
    this.store = store;
    this.json = json;
  }

  /** Loads a room's seq and documents from the store. */
  static Room load(String name, RoomStore store, Json json) {
    Room room = new Room(name, store, json);
    room.seq = store.lastSeq(name);
    RoomStore.Snapshot snapshot = store.snapshot(name, NOTES);
    CollabDoc doc = new CollabDoc(snapshot.version(), snapshot.text());
    for (DocUpdate u : store.updates(name, NOTES, snapshot.version())) {
      doc.replay(new Frames.Update(u.clientId(), u.changes()), room.parse(u.changes()));
    }
    room.docs.put(NOTES, doc);
    room.snapshotVersions.put(NOTES, snapshot.version());
    return room;
  }

  synchronized void relayWith(Subscription subscription) {
    relay = subscription;
  }

  synchronized boolean isUnloaded() {
    return unloaded;
  }

  /** Marks the room unloaded if nobody is in it; returns whether it was. */
  synchronized boolean unloadIfEmpty() {
    if (members.isEmpty()) {
      unloaded = true;
      if (relay != null) {
        relay.cancel();
      }
    }
    return unloaded;
  }

  synchronized int size() {
    return members.size();
  }

  /**
   * Adds a member, sends it {@code welcome} and, when resuming, every stored message after {@code
   * resumeSeq}; tells the others.
   */
  synchronized void join(RoomConnection conn, String name, String session, Long resumeSeq) {
    String id = session != null && !members.containsKey(session) ? session : conn.id();
    Member member = new Member(id, name, COLORS[Math.floorMod(id.hashCode(), COLORS.length)]);
    conn.member = member;
    conn.room = this;
    List<String> chat =
        store.latest(this.name, "chat", CHAT_IN_WELCOME).stream().map(StoredFrame::frame).toList();
    Map<String, Frames.DocState> docStates = new LinkedHashMap<>();
    docs.forEach((doc, d) -> docStates.put(doc, new Frames.DocState(d.version(), d.text())));
    List<Member> present = new ArrayList<>();
    members.values().forEach(m -> present.add(m.member));
    present.add(member);
    conn.send(json.write(new Frames.Welcome(id, member, present, seq, chat, docStates)));
    if (resumeSeq != null) {
      for (long after = resumeSeq; after < seq; ) {
        List<StoredFrame> page = store.after(this.name, after, REPLAY_PAGE);
        if (page.isEmpty()) {
          break;
        }
        page.forEach(f -> conn.send(f.frame()));
        after = page.get(page.size() - 1).seq();
      }
    }
    String presence = json.write(new Frames.Presence("joined", member));
    members.values().forEach(m -> m.send(presence));
    members.put(conn.id(), conn);
  }

  synchronized void leave(RoomConnection conn) {
    if (members.remove(conn.id()) != null && conn.member != null) {
      String presence = json.write(new Frames.Presence("left", conn.member));
      members.values().forEach(m -> m.send(presence));
    }
  }

  synchronized void chat(RoomConnection conn, String clientId, String text) {
    Long earlier = recentClientIds.get(clientId);
    if (earlier == null) {
      long stored = store.seqOfClientId(name, clientId);
      earlier = stored < 0 ? null : stored;
    }
    if (earlier != null) {
      conn.send(json.write(new Frames.Ack(clientId, earlier)));
      return;
    }
    long next = seq + 1;
    String frame = json.write(new Frames.Chat(next, clientId, conn.member, text, now()));
    store.append(name, new StoredFrame(next, "chat", clientId, frame));
    seq = next;
    recentClientIds.put(clientId, next);
    conn.send(json.write(new Frames.Ack(clientId, next)));
    broadcast(frame);
  }

  synchronized void point(RoomConnection conn, long line, Long build) {
    broadcastEphemeral(conn, json.write(new Frames.Point(conn.member, line, build)));
  }

  synchronized void cursor(RoomConnection conn, String doc, int anchor, int head) {
    if (docs.containsKey(doc)) {
      broadcastEphemeral(conn, json.write(new Frames.Cursor(conn.member, doc, anchor, head)));
    }
  }

  /**
   * A collab push: rejected unless based on the current version; applied, stored and sent to every
   * member (the pusher too: that is how CodeMirror confirms its own updates).
   *
   * @throws InvalidChangeException if a change does not fit the document
   */
  synchronized void push(
      RoomConnection conn, String doc, int version, List<Frames.Update> updates) {
    CollabDoc d = doc(doc);
    List<ChangeSet> changes = updates.stream().map(u -> parse(u.changes())).toList();
    if (version != d.version()) {
      conn.send(json.write(new Frames.DocReject(doc, d.version())));
      return;
    }
    String after = d.preview(changes);
    long next = seq + 1;
    String frame = json.write(new Frames.DocUpdates(doc, version, updates, next));
    List<DocUpdate> rows = new ArrayList<>();
    for (int i = 0; i < updates.size(); i++) {
      rows.add(new DocUpdate(version + i, updates.get(i).clientID(), updates.get(i).changes()));
    }
    store.appendDocUpdates(name, doc, rows, new StoredFrame(next, "doc.updates", null, frame));
    d.commit(updates, after);
    seq = next;
    broadcast(frame);
    compactIfDue(doc, d);
  }

  synchronized void pull(RoomConnection conn, String doc, int version) {
    CollabDoc d = doc(doc);
    if (version > d.version()) {
      throw new IllegalArgumentException(
          "version " + version + " is ahead of the document (" + d.version() + ")");
    }
    List<Frames.Update> updates = d.since(version);
    if (updates == null) {
      conn.send(json.write(new Frames.DocSnapshot(doc, d.version(), d.text())));
    } else {
      conn.send(json.write(new Frames.DocUpdates(doc, version, updates, null)));
    }
  }

  /** A build event relayed from the hub into a build's room. */
  synchronized void relay(String event, String data) {
    broadcast(json.write(new Frames.BuildEvent(event, data)));
  }

  synchronized Collection<RoomConnection> connections() {
    return List.copyOf(members.values());
  }

  boolean hasDoc(String doc) {
    return docs.containsKey(doc);
  }

  private CollabDoc doc(String doc) {
    CollabDoc d = docs.get(doc);
    if (d == null) {
      throw new IllegalArgumentException("no document '" + doc + "' in this room");
    }
    return d;
  }

  private void compactIfDue(String doc, CollabDoc d) {
    int snapshot = snapshotVersions.getOrDefault(doc, 0);
    if (d.version() - snapshot >= 2 * CollabDoc.KEEP_UPDATES) {
      store.compact(name, doc, new RoomStore.Snapshot(d.version(), d.text()));
      snapshotVersions.put(doc, d.version());
    }
  }

  private void broadcast(String frame) {
    members.values().forEach(m -> m.send(frame));
  }

  private void broadcastEphemeral(RoomConnection from, String frame) {
    for (RoomConnection m : members.values()) {
      if (m != from) {
        m.sendEphemeral(frame);
      }
    }
  }

  private ChangeSet parse(String changes) {
    try {
      return ChangeSet.fromJson(json.mapper().readTree(changes));
    } catch (JsonProcessingException e) {
      throw new InvalidChangeException("changes are not JSON");
    }
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
