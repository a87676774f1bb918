package dev.tailboard.rooms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.hub.Subscription;
import dev.tailboard.masks.Masker;
import dev.tailboard.rooms.Frames.Member;
import dev.tailboard.store.RoomStore;
import dev.tailboard.store.RoomStore.DocUpdate;
import dev.tailboard.store.RoomStore.StoredFrame;
import dev.tailboard.store.StoreException;
import dev.tailboard.support.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One room's live state: its members, its seq, its shared documents. Every method runs under the
 * room's lock, so stored messages get their seq, reach the store and go out to members in one
 * order, and a resuming member's replay and the live messages meet without gap or double.
 *
 * <p>In a cluster the database is the authority: other nodes store messages of the same room, and
 * this room reads them ({@link #announced}) and applies them in seq order. When another node took a
 * seq or document version first, the store refuses this room's write ({@link #conflicted}): the
 * room catches up and redoes its pending writes with the next seqs, rejecting the document pushes
 * that are no longer based on the current version.
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
  private final RoomCluster cluster;

  /** {@code rooms.maxDocChars}: a push whose document would be longer is refused. */
  private final int maxDocChars;

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

  /**
   * Bumped when the pending writes are redone with new seqs: queued writes of an older epoch are
   * void (the writer drops them).
   */
  private volatile int epoch;

  /**
   * The highest seq another node announced; read from the store once nothing is pending. Atomic,
   * not under the room's lock: the bus thread sets it and must not wait for a join's replay.
   */
  private final AtomicLong announced = new AtomicLong();

  private final AtomicBoolean catchUpQueued = new AtomicBoolean();

  /** Pulls waiting for pending updates to be durable, undone or failed. */
  private final List<Runnable> parkedPulls = new ArrayList<>();

  /** Members on other nodes, by node and connection (clustered only). */
  private final Map<String, Peer> peers = new LinkedHashMap<>();

  private boolean unloaded;
  private Subscription relay;

  /**
   * A message waiting to be durable: then {@code ack} (if any) goes to its sender, {@code frame} to
   * all, and a document push's {@code step} becomes the document's durable state. {@code redo}
   * makes the request again when another node took its seq.
   */
  private record Pending(
      long seq, String frame, RoomConnection sender, String ack, DocStep step, Runnable redo) {}

  /** A document's version and text once a push is durable. */
  private record DocStep(String doc, int version, String text) {}

  /** A member on another node; {@code since} is when this room learnt of it ({@link #nanoTime}). */
  private record Peer(String node, Member member, long since) {}

  private Room(
      String name,
      RoomStore store,
      RoomWriter writer,
      Json json,
      RoomCluster cluster,
      int maxDocChars) {
    this.name = name;
    this.maxDocChars = maxDocChars;
    this.store = store;
    this.writer = writer;
    this.json = json;
    this.cluster = cluster;
  }

  /**
   * Loads a room's seq, documents and (in a cluster) the members on other nodes.
   *
   * @param maxDocChars the longest a shared document may become ({@code rooms.maxDocChars})
   */
  static Room load(
      String name,
      RoomStore store,
      RoomWriter writer,
      Json json,
      RoomCluster cluster,
      int maxDocChars) {
    Room room = new Room(name, store, writer, json, cluster, maxDocChars);
    room.seq = store.lastSeq(name);
    room.durableSeq = room.seq;
    // A resent chat is recognised among the room's last RECENT_CLIENT_IDS messages.
    for (StoredFrame f : store.latest(name, "chat", RECENT_CLIENT_IDS)) {
      room.recentClientIds.put(f.clientId(), f.seq());
    }
    room.loadDoc(NOTES);
    if (cluster.clustered()) {
      long now = System.nanoTime();
      for (RoomStore.MemberRow row : store.members(name)) {
        if (!row.node().equals(cluster.nodeId())) {
          room.peers.put(peerKey(row.node(), row.conn()), room.peer(row, now));
        }
      }
    }
    return room;
  }

  /**
   * Reads a document from the store. Its snapshot and updates are two reads: when another node
   * compacted in between, the updates no longer start at the snapshot, and reading again helps.
   */
  private void loadDoc(String doc) {
    for (int attempt = 1; ; attempt++) {
      RoomStore.Snapshot snapshot = store.snapshot(name, doc);
      List<DocUpdate> updates = store.updates(name, doc, snapshot.version());
      if (attempt < 3 && !updates.isEmpty() && updates.get(0).version() != snapshot.version()) {
        continue;
      }
      CollabDoc d = new CollabDoc(snapshot.version(), snapshot.text());
      for (DocUpdate u : updates) {
        if (u.version() == d.version()) {
          d.replay(new Frames.Update(u.clientId(), u.changes()), parse(u.changes()));
        }
      }
      docs.put(doc, d);
      snapshotVersions.put(doc, snapshot.version());
      return;
    }
  }

  int epoch() {
    return epoch;
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
      unload();
    }
    return unloaded;
  }

  private void unload() {
    unloaded = true;
    if (relay != null) {
      relay.cancel();
    }
  }

  synchronized int size() {
    return members.size();
  }

  /**
   * Adds a member, sends it {@code welcome} and, when resuming, every stored message after {@code
   * resumeSeq}; tells the others. A connection that may not write ({@link RoomConnection#mayWrite})
   * joins as a watcher: it gets {@code welcome} (with {@code you} null) and everything the members
   * get, but is no member: no presence, not in {@code members}.
   *
   * <p>A member's public id is derived from its secret ({@link #memberId}): the {@code resume}
   * secret given back in {@code hello.resume} keeps the id on any node, with nothing stored.
   *
   * @param name the member's displayed name (the token's subject; an anonymous member's own)
   * @param secret the secret from {@code hello.resume}, or null
   */
  synchronized void join(
      RoomConnection conn, String name, boolean unverified, String secret, Long resumeSeq) {
    Member member = null;
    if (conn.mayWrite) {
      String subject = unverified ? "" : name;
      String given = secret == null ? null : memberId(this.name, subject, secret);
      String id = given;
      if (id == null || members.values().stream().anyMatch(m -> isMember(m, given))) {
        // no secret, a malformed one, or its member is here already: a new member
        secret = newSecret();
        id = memberId(this.name, subject, secret);
      }
      member =
          new Member(
              id,
              name,
              COLORS[Math.floorMod(id.hashCode(), COLORS.length)],
              unverified ? Boolean.TRUE : null);
    } else {
      secret = null;
    }
    conn.member = member;
    conn.room = this;
    if (resumeSeq != null && resumeSeq > durableSeq) {
      resumedAhead(conn, resumeSeq);
    }
    List<String> chat =
        store.latest(this.name, "chat", CHAT_IN_WELCOME).stream()
            .filter(f -> f.seq() <= durableSeq)
            .map(StoredFrame::frame)
            .toList();
    Map<String, Frames.DocState> docStates = new LinkedHashMap<>();
    docs.forEach(
        (doc, d) -> docStates.put(doc, new Frames.DocState(d.durableVersion(), d.durableText())));
    List<Member> present = new ArrayList<>();
    members.values().stream().filter(m -> m.member != null).forEach(m -> present.add(m.member));
    peers.values().forEach(p -> present.add(p.member()));
    if (member != null) {
      present.add(member);
    }
    conn.send(json.write(new Frames.Welcome(secret, member, present, durableSeq, chat, docStates)));
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
    members.put(conn.id(), conn);
    if (member == null) {
      return;
    }
    String presence = json.write(new Frames.Presence("joined", member));
    members.values().stream().filter(m -> m != conn).forEach(m -> m.send(presence));
    cluster.joined(this, conn.id(), member, presence);
  }

  private static boolean isMember(RoomConnection conn, String id) {
    return conn.member != null && conn.member.id().equals(id);
  }

  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{22}");

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new resume secret: 128 random bits, base64url. */
  static String newSecret() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The public id of the member holding {@code secret} in {@code room} as {@code subject} (empty
   * for an anonymous member): 96 bits of SHA-256 over the three, base64url (16 characters), so the
   * id reveals nothing of the secret, and another subject or room with the same secret is someone
   * else. Null for a malformed secret (not 22 base64url characters).
   */
  static String memberId(String room, String subject, String secret) {
    if (!SECRET.matcher(secret).matches()) {
      return null;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] hash =
          sha.digest((room + "\0" + subject + "\0" + secret).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 12));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  synchronized void leave(RoomConnection conn) {
    if (members.remove(conn.id()) != null && conn.member != null) {
      String presence = json.write(new Frames.Presence("left", conn.member));
      members.values().forEach(m -> m.send(presence));
      cluster.left(this, conn.id(), presence);
    }
  }

  synchronized void chat(RoomConnection conn, String clientId, String text) {
    refuseIfUnloaded();
    Long earlier = recentClientIds.get(clientId);
    if (earlier != null) {
      String ack = json.write(new Frames.Ack(clientId, earlier));
      if (earlier <= durableSeq) {
        conn.send(ack);
      } else {
        // redone: the first copy may get another seq
        waitingAcks.add(
            new Pending(earlier, null, conn, ack, null, () -> chat(conn, clientId, text)));
      }
      return;
    }
    long next = seq + 1;
    String frame = json.write(new Frames.Chat(next, clientId, conn.member, text, now()));
    Runnable redo =
        () -> {
          // unless catching up found this id stored by another node (the client resent it there)
          recentClientIds.remove(clientId, next);
          chat(conn, clientId, text);
        };
    queue(
        new RoomStore.Write(name, new StoredFrame(next, "chat", clientId, frame), null, null, null),
        new Pending(next, frame, conn, json.write(new Frames.Ack(clientId, next)), null, redo));
    recentClientIds.put(clientId, next);
  }

  /** Hands a write to the group commit; the message goes out once it is durable. */
  private void queue(RoomStore.Write write, Pending p) {
    if (!writer.offer(this, epoch, write)) {
      throw new StoreException(new SQLException("room writes queue full"));
    }
    seq = p.seq();
    pending.add(p);
  }

  /** The group commit stored everything up to {@code storedSeq}: acknowledge and broadcast. */
  synchronized void durable(long storedSeq) {
    while (!pending.isEmpty() && pending.peek().seq() <= storedSeq) {
      Pending p = pending.poll();
      durableSeq = p.seq();
      if (p.step() != null) {
        docs.get(p.step().doc()).durable(p.step().version(), p.step().text());
      }
      if (p.ack() != null) {
        p.sender().send(p.ack());
      }
      broadcastStored(p.seq(), p.frame());
    }
    waitingAcks.removeIf(
        w -> {
          if (w.seq() <= durableSeq) {
            w.sender().send(w.ack());
            return true;
          }
          return false;
        });
    if (!unloaded && pending.isEmpty() && announced.get() > durableSeq) {
      catchUp();
    }
    answerParkedPulls();
  }

  private void answerParkedPulls() {
    if (!parkedPulls.isEmpty()) {
      List<Runnable> again = List.copyOf(parkedPulls);
      parkedPulls.clear();
      again.forEach(Runnable::run);
    }
  }

  /**
   * Another node stored messages up to {@code position}; true when a catch-up should be scheduled
   * ({@link #catchUpNow}), false when one is already or nothing is new.
   */
  boolean announced(long position) {
    announced.accumulateAndGet(position, Math::max);
    return !catchUpQueued.getAndSet(true);
  }

  /**
   * Reads what other nodes stored. While this room has writes pending it waits: they either get
   * stored or are refused, and both end in a catch-up ({@link #durable}, {@link #conflicted}).
   */
  synchronized void catchUpNow() {
    catchUpQueued.set(false);
    if (!unloaded && pending.isEmpty() && announced.get() > durableSeq) {
      catchUp();
    }
  }

  /** Applies every stored message after {@code durableSeq}; nothing may be pending. */
  private void catchUp() {
    // an announcement from now on may be past what is read below: it schedules its own
    announced.set(0);
    while (true) {
      List<StoredFrame> page = store.after(name, durableSeq, REPLAY_PAGE);
      for (StoredFrame f : page) {
        seq = f.seq();
        durableSeq = f.seq();
        if ("chat".equals(f.type()) && f.clientId() != null) {
          recentClientIds.put(f.clientId(), f.seq());
        } else if ("doc.updates".equals(f.type())) {
          applyDocUpdates(f.frame());
        }
        broadcastStored(f.seq(), f.frame());
      }
      if (page.size() < REPLAY_PAGE) {
        return;
      }
    }
  }

  /** Moves a document on by another node's stored updates; a gap reloads it from the store. */
  private void applyDocUpdates(String frame) {
    JsonNode f;
    try {
      f = json.mapper().readTree(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored frame is not JSON", e);
    }
    String doc = f.path("doc").asText();
    CollabDoc d = docs.get(doc);
    if (d == null) {
      return;
    }
    int version = f.path("version").asInt();
    JsonNode updates = f.path("updates");
    for (int i = 0; i < updates.size(); i++) {
      if (version + i > d.version()) {
        loadDoc(doc);
        return;
      }
      if (version + i == d.version()) {
        JsonNode u = updates.get(i);
        String changes = u.path("changes").toString();
        d.replay(new Frames.Update(u.path("clientID").asText(), changes), parse(changes));
      }
    }
  }

  /**
   * The store refused this room's write of {@code refusedSeq} because another node stored that seq
   * (or document version) first; the writes before it are stored. Catches up from the store and
   * redoes every pending write in order with the next seqs: chats are stored again, pushes no
   * longer based on the document's version get {@code doc.reject}.
   */
  synchronized void conflicted(long refusedSeq) {
    if (unloaded) {
      return;
    }
    durable(refusedSeq - 1);
    List<Pending> redo = new ArrayList<>(pending);
    pending.clear();
    List<Pending> acks = new ArrayList<>();
    waitingAcks.removeIf(w -> w.seq() >= refusedSeq && acks.add(w));
    epoch++;
    seq = durableSeq;
    // what the pushes changed in memory is not stored: the store's document, then the rest
    docs.keySet().forEach(this::loadDoc);
    catchUp();
    for (Pending p : redo) {
      redo(p);
    }
    acks.forEach(this::redo);
    answerParkedPulls();
  }

  private void redo(Pending p) {
    try {
      p.redo().run();
    } catch (StoreException e) {
      if (p.sender() != null) {
        p.sender().send(json.write(new Frames.Error("unavailable", "not stored; try again", null)));
      }
    } catch (BadMessage e) {
      // a redone push refused now (too_large): its sender learns, the other redos go on
      if (p.sender() != null) {
        p.sender().send(json.write(new Frames.Error(e.code, e.getMessage(), null)));
      }
    }
  }

  /**
   * A batch with this room's writes failed (a store error, not a conflict): none of it is stored,
   * and this room's seq and documents are ahead of the store. The room unloads and closes everyone
   * (1011); the next join loads it again from the store and clients resume.
   */
  synchronized void failed() {
    unload();
    // The writer drops this room's queued writes (an older epoch) before its next batch, and an
    // unloaded room queues none: nothing of this load is stored after the failed batch, so the
    // reload need not wait for the writer.
    epoch++;
    pending.clear();
    waitingAcks.clear();
    parkedPulls.clear();
    members.values().forEach(m -> m.close(CloseCodes.SERVER_ERROR, "store failed; resume"));
  }

  /**
   * A frame reaching a room that failed (its members are being closed) or was unloaded: refused
   * ({@code error unavailable}), so nothing is stored behind the reload's back.
   */
  private void refuseIfUnloaded() {
    if (unloaded) {
      throw new StoreException(new SQLException("room " + name + " is unloaded; join again"));
    }
  }

  synchronized void point(RoomConnection conn, long line, Long build) {
    refuseIfUnloaded();
    ephemeral(conn, json.write(new Frames.Point(conn.member, line, build)));
  }

  synchronized void cursor(RoomConnection conn, String doc, int anchor, int head) {
    refuseIfUnloaded();
    if (docs.containsKey(doc)) {
      ephemeral(conn, json.write(new Frames.Cursor(conn.member, doc, anchor, head)));
    }
  }

  private void ephemeral(RoomConnection from, String frame) {
    broadcastEphemeral(from, frame);
    cluster.send(name, from.id(), frame);
  }

  /**
   * A frame from a member on another node: presence updates the members other nodes have; every
   * frame goes to the members here.
   */
  synchronized void fromPeer(String node, String conn, JsonNode frame) {
    if (!"presence".equals(frame.path("type").asText())) {
      broadcastEphemeral(null, frame.toString());
      return;
    }
    String key = peerKey(node, conn);
    if ("joined".equals(frame.path("event").asText())) {
      Member member = json.mapper().convertValue(frame.get("member"), Member.class);
      if (peers.put(key, new Peer(node, member, System.nanoTime())) == null) {
        broadcast(frame.toString());
      }
    } else if (peers.remove(key) != null) {
      broadcast(frame.toString());
    }
  }

  /**
   * Brings the members on other nodes in line with {@code rows}, read from the store at {@code
   * readAt}: those learnt of since then are kept (the read may predate their row).
   */
  synchronized void resyncPeers(List<RoomStore.MemberRow> rows, long readAt) {
    Map<String, RoomStore.MemberRow> stored = new LinkedHashMap<>();
    rows.stream()
        .filter(r -> !r.node().equals(cluster.nodeId()))
        .forEach(r -> stored.put(peerKey(r.node(), r.conn()), r));
    dropPeers(k -> !stored.containsKey(k), readAt);
    stored.forEach(
        (key, row) -> {
          if (!peers.containsKey(key)) {
            Peer p = peer(row, System.nanoTime());
            peers.put(key, p);
            broadcast(json.write(new Frames.Presence("joined", p.member())));
          }
        });
  }

  /**
   * Drops the members of nodes not in {@code liveNodes} (dead, or forgotten by another node) that
   * this room knew of before {@code readAt}, and tells the members here they left.
   */
  synchronized void dropDeadPeers(Set<String> liveNodes, long readAt) {
    dropPeers(k -> !liveNodes.contains(peers.get(k).node()), readAt);
  }

  private void dropPeers(Predicate<String> gone, long readAt) {
    peers
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue().since() - readAt < 0 && gone.test(e.getKey())) {
                broadcast(json.write(new Frames.Presence("left", e.getValue().member())));
                return true;
              }
              return false;
            });
  }

  private Peer peer(RoomStore.MemberRow row, long since) {
    return new Peer(row.node(), json.read(row.member(), Member.class), since);
  }

  private static String peerKey(String node, String conn) {
    return node + "/" + conn;
  }

  /**
   * A collab push: rejected unless based on the current version; applied, stored and sent to every
   * member (the pusher too: that is how CodeMirror confirms its own updates).
   *
   * @throws InvalidChangeException if a change does not fit the document
   */
  synchronized void push(
      RoomConnection conn, String doc, int version, List<Frames.Update> updates, Masker masker) {
    refuseIfUnloaded();
    CollabDoc d = doc(doc);
    List<ChangeSet> changes = updates.stream().map(u -> parse(u.changes())).toList();
    if (version != d.version()) {
      conn.send(json.write(new Frames.DocReject(doc, d.version())));
      return;
    }
    refuseIfTooLarge(d.text().length(), changes);
    String after = d.preview(changes);
    refuseIfSecret(conn, doc, d, after, masker);
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
        new Pending(
            next,
            frame,
            conn,
            null,
            new DocStep(doc, version + updates.size(), after),
            () -> push(conn, doc, version, updates, masker)));
    // The document moves on now, so the next push is checked against it; members see the
    // updates once they are durable.
    d.commit(updates, after);
    if (snapshot != null) {
      snapshotVersions.put(doc, snapshot.version());
    }
  }

  /**
   * Refuses changes that would bring a registered secret value into the notes: nothing is stored or
   * sent to the others, and the writer gets the document as it is ({@code doc.snapshot}), which
   * takes the value out of its editor, then {@code error masked}. A value registered after it was
   * written is not searched for again at every push: such a document stays editable.
   */
  private void refuseIfSecret(
      RoomConnection conn, String doc, CollabDoc d, String after, Masker masker) {
    if (masker.isEmpty() || masker.mask(after) == after || masker.mask(d.text()) != d.text()) {
      return;
    }
    conn.send(json.write(new Frames.DocSnapshot(doc, d.durableVersion(), d.durableText())));
    throw new BadMessage(
        "masked", "the notes may not hold a secret value registered for this build");
  }

  /**
   * Refuses ({@code error too_large}) changes that would make the document longer than {@code
   * rooms.maxDocChars}, at any step, from their lengths alone: no text is built for the check. A
   * change that does not fit the length before it is left for {@link CollabDoc#preview} to refuse.
   */
  private void refuseIfTooLarge(int length, List<ChangeSet> changes) {
    for (ChangeSet change : changes) {
      if (change.length() != length) {
        return;
      }
      length = change.newLength();
      if (length > maxDocChars) {
        throw new BadMessage(
            "too_large",
            "the document may have at most " + maxDocChars + " characters (rooms.maxDocChars)");
      }
    }
  }

  synchronized void pull(RoomConnection conn, String doc, int version) {
    refuseIfUnloaded();
    CollabDoc d = doc(doc);
    if (cluster.clustered() && version > d.version()) {
      // the client saw this version on another node and this room has not read it yet: read
      // the store now, or once the pending writes are stored or refused
      if (!pending.isEmpty()) {
        park(conn, doc, version);
        return;
      }
      catchUp();
    }
    if (version > d.version()) {
      throw new IllegalArgumentException(
          "version " + version + " is ahead of the document (" + d.version() + ")");
    }
    if (version >= d.durableVersion() && d.version() > d.durableVersion()) {
      // what it lacks is not stored yet: it may fail, or another node's update may undo it, so
      // it is answered once durable (or refused)
      park(conn, doc, version);
      return;
    }
    List<Frames.Update> updates = d.since(version, d.durableVersion());
    if (updates == null) {
      conn.send(json.write(new Frames.DocSnapshot(doc, d.durableVersion(), d.durableText())));
    } else {
      conn.send(json.write(new Frames.DocUpdates(doc, version, updates, null)));
    }
  }

  /** A pull answered later, on the writer's thread: a bad version is an error frame then. */
  private void park(RoomConnection conn, String doc, int version) {
    parkedPulls.add(
        () -> {
          try {
            pull(conn, doc, version);
          } catch (IllegalArgumentException e) {
            conn.send(json.write(new Frames.Error("bad_request", e.getMessage(), null)));
          }
        });
  }

  /** A build event relayed from the hub into a build's room. */
  synchronized void relay(String event, String data) {
    broadcast(json.write(new Frames.BuildEvent(event, data)));
  }

  /** The members here (not the watchers). */
  synchronized Collection<RoomConnection> connections() {
    return members.values().stream().filter(m -> m.member != null).toList();
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

  /** A stored message, to every member but those that resumed past its seq (they have it). */
  private void broadcastStored(long seq, String frame) {
    for (RoomConnection m : members.values()) {
      if (seq > m.resumedThrough) {
        m.send(frame);
      }
    }
  }

  /**
   * A member resumes from a seq this room has not reached: another node stored it and this room has
   * not read it yet (the announcement is on its way, or waits for this room's pending writes). What
   * the store has is read now, if nothing is pending; the rest, up to the member's seq, it already
   * has and is not sent to it again.
   */
  private void resumedAhead(RoomConnection conn, long resumeSeq) {
    if (pending.isEmpty()) {
      catchUp();
    }
    // a seq the store never gave out is no reason to hold back the messages that will get it
    conn.resumedThrough = Math.min(resumeSeq, Math.max(durableSeq, store.lastSeq(name)));
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
