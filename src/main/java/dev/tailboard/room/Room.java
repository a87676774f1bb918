package dev.tailboard.room;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tailboard.hub.Subscription;
import dev.tailboard.room.Frames.Member;
import dev.tailboard.room.RoomStore.DocUpdate;
import dev.tailboard.room.RoomStore.StoredFrame;
import dev.tailboard.web.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
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
  private final RoomWriter writer;
  private final Json json;

  /** Stored messages given a seq, waiting for the group commit, in seq order. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();

  /** Acks of resent chats whose first copy is not durable yet. */
  private final List<Pending> waitingAcks = new ArrayList<>();

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

  /** The last seq given out. */
  private long seq;

  /** The last seq stored and sent to members; the others are pending. */
  private long durableSeq;

  private boolean unloaded;
  private Subscription relay;

  /** A message waiting to be durable: then {@code ack} goes to its sender, {@code frame} to all. */
  private record Pending(long seq, String frame, RoomConnection sender, String ack) {}

  private Room(String name, RoomStore store, RoomWriter writer, Json json) {
    this.name = name;
    this.store = store;
    this.writer = writer;
    this.json = json;
  }

  /** Loads a room's seq and documents from the store. */
  static Room load(String name, RoomStore store, RoomWriter writer, Json json) {
    Room room = new Room(name, store, writer, json);
    room.seq = store.lastSeq(name);
    room.durableSeq = room.seq;
    // A resent chat is recognised among the room's last RECENT_CLIENT_IDS messages.
    for (StoredFrame f : store.latest(name, "chat", RECENT_CLIENT_IDS)) {
      room.recentClientIds.put(f.clientId(), f.seq());
    }
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
    // with writes pending, a reloaded room would hand out their seqs again
    if (members.isEmpty() && pending.isEmpty()) {
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
        store.latest(this.name, "chat", CHAT_IN_WELCOME).stream()
            .filter(f -> f.seq() <= durableSeq)
            .map(StoredFrame::frame)
            .toList();
    Map<String, Frames.DocState> docStates = new LinkedHashMap<>();
    docs.forEach((doc, d) -> docStates.put(doc, new Frames.DocState(d.version(), d.text())));
    List<Member> present = new ArrayList<>();
    members.values().forEach(m -> present.add(m.member));
    present.add(member);
    conn.send(json.write(new Frames.Welcome(id, member, present, durableSeq, chat, docStates)));
    if (resumeSeq != null) {
      // up to durableSeq from the store; pending ones reach this member live, once durable
      for (long after = resumeSeq; after < durableSeq; ) {
        List<StoredFrame> page = store.after(this.name, after, REPLAY_PAGE);
        if (page.isEmpty()) {
          break;
        }
        for (StoredFrame f : page) {
          if (f.seq() <= durableSeq) {
            conn.send(f.frame());
          }
        }
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
    if (earlier != null) {
      String ack = json.write(new Frames.Ack(clientId, earlier));
      if (earlier <= durableSeq) {
        conn.send(ack);
      } else {
        waitingAcks.add(new Pending(earlier, null, conn, ack));
      }
      return;
    }
    long next = seq + 1;
    String frame = json.write(new Frames.Chat(next, clientId, conn.member, text, now()));
    queue(
        new RoomStore.Write(name, new StoredFrame(next, "chat", clientId, frame), null, null, null),
        new Pending(next, frame, conn, json.write(new Frames.Ack(clientId, next))));
    recentClientIds.put(clientId, next);
  }

  /** Hands a write to the group commit; the message goes out once it is durable. */
  private void queue(RoomStore.Write write, Pending p) {
    if (!writer.offer(this, write)) {
      throw new dev.tailboard.store.StoreException(
          new java.sql.SQLException("room writes queue full"));
    }
    seq = p.seq();
    pending.add(p);
  }

  /** The group commit stored everything up to {@code storedSeq}: acknowledge and broadcast. */
  synchronized void durable(long storedSeq) {
    while (!pending.isEmpty() && pending.peek().seq() <= storedSeq) {
      Pending p = pending.poll();
      durableSeq = p.seq();
      if (p.sender() != null) {
        p.sender().send(p.ack());
      }
      broadcast(p.frame());
    }
    waitingAcks.removeIf(
        w -> {
          if (w.seq() <= durableSeq) {
            w.sender().send(w.ack());
            return true;
          }
          return false;
        });
  }

  /**
   * The store refused a batch: what members were told no longer matches what is stored. Close
   * everyone (1011); the room reloads from the store on the next join and clients resume.
   */
  synchronized void failed() {
    unloaded = true;
    pending.clear();
    members.values().forEach(m -> m.close(CloseCodes.SERVER_ERROR, "store failed; resume"));
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
    RoomStore.Snapshot snapshot = null;
    int snapshotVersion = snapshotVersions.getOrDefault(doc, 0);
    if (version + updates.size() - snapshotVersion >= 2 * CollabDoc.KEEP_UPDATES) {
      snapshot = new RoomStore.Snapshot(version + updates.size(), after);
    }
    queue(
        new RoomStore.Write(
            name, new StoredFrame(next, "doc.updates", null, frame), doc, rows, snapshot),
        new Pending(next, frame, null, null));
    // The document moves on now, so the next push is checked against it; members see the
    // updates once they are durable.
    d.commit(updates, after);
    if (snapshot != null) {
      snapshotVersions.put(doc, snapshot.version());
    }
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
