package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.config.Config;
import dev.tailboard.masks.Masker;
import dev.tailboard.metrics.Metrics;
import dev.tailboard.store.RoomStore;
import dev.tailboard.store.StoreException;
import dev.tailboard.store.TestStores;
import dev.tailboard.support.Json;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A group commit that fails (a store error, not another node's seq) on one node with a real H2
 * database: the failed rooms' queued writes are never stored, the failed room refuses work, and the
 * next join reloads what is stored. Also: pulls and welcome show only durable document versions.
 */
class RoomFailureTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Executor NOW = Runnable::run;

  private final Json json = new Json();
  private final TestStores.Embedded db = TestStores.embedded();
  private final GatedStore store = new GatedStore(db.rooms());
  private final RoomWriter writer = new RoomWriter();
  private final RoomCluster cluster;
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();

  RoomFailureTest() {
    writer.store = store;
    writer.config = new Config(name -> null, Map.of());
    writer.metrics = new Metrics();
    writer.bus = TestStores.singleNodeBus();
    writer.start();
    cluster = new RoomCluster(writer.bus, store, json, rooms::get, rooms::values, 30_000);
  }

  /**
   * The store, with {@code appendAll} held while {@link #gated}: each call then waits for a verdict
   * (true: store the writes; false: fail, storing nothing).
   */
  private static final class GatedStore implements RoomStore {
    final RoomStore store;
    final BlockingQueue<Boolean> verdicts = new LinkedBlockingQueue<>();
    final Semaphore entered = new Semaphore(0);
    volatile boolean gated;

    GatedStore(RoomStore store) {
      this.store = store;
    }

    /** Waits until the writer's next batch is held in {@code appendAll}. */
    void awaitHeld() throws InterruptedException {
      assertThat(entered.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Override
    public List<Write> appendAll(List<Write> writes) {
      if (gated) {
        entered.release();
        boolean ok;
        try {
          ok = verdicts.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          ok = false;
        }
        if (!ok) {
          throw new StoreException(new SQLException("disk on fire", "08006"));
        }
      }
      return store.appendAll(writes);
    }

    @Override
    public long lastSeq(String room) {
      return store.lastSeq(room);
    }

    @Override
    public void prune(String room, long throughSeq) {
      store.prune(room, throughSeq);
    }

    @Override
    public List<StoredFrame> after(String room, long afterSeq, int limit) {
      return store.after(room, afterSeq, limit);
    }

    @Override
    public List<StoredFrame> latest(String room, String type, int limit) {
      return store.latest(room, type, limit);
    }

    @Override
    public Snapshot snapshot(String room, String doc) {
      return store.snapshot(room, doc);
    }

    @Override
    public List<DocUpdate> updates(String room, String doc, int fromVersion) {
      return store.updates(room, doc, fromVersion);
    }

    @Override
    public void addMember(String room, String node, String conn, String member) {
      store.addMember(room, node, conn, member);
    }

    @Override
    public void removeMember(String room, String node, String conn) {
      store.removeMember(room, node, conn);
    }

    @Override
    public List<MemberRow> members(String room) {
      return store.members(room);
    }

    @Override
    public boolean beat(String node, long seenAt) {
      return store.beat(node, seenAt);
    }

    @Override
    public Map<String, Long> nodes() {
      return store.nodes();
    }

    @Override
    public void forgetNode(String node) {
      store.forgetNode(node);
    }

    @Override
    public void deleteRooms(List<String> rooms) {
      store.deleteRooms(rooms);
    }
  }

  /** A room member whose socket records every frame sent to it. */
  private final class Member {
    final FakeSocket socket;
    final RoomConnection conn;

    Member(String name) {
      socket = new FakeSocket(name + "-conn", true, new Object());
      conn = new RoomConnection(socket.session(), 1024, 4_000_000, 1000, NOW, NOW);
      conn.mayWrite = true;
    }

    Room room() {
      return conn.room;
    }

    List<JsonNode> of(String type) {
      List<JsonNode> out = new ArrayList<>();
      for (String f : socket.sent) {
        JsonNode n = json.read(f, JsonNode.class);
        if (type.equals(n.path("type").asText())) {
          out.add(n);
        }
      }
      return out;
    }

    void chat(String id) {
      room().chat(conn, id, "text of " + id);
    }

    void push(int version, String clientId, String changes) {
      room()
          .push(
              conn,
              Room.NOTES,
              version,
              List.of(new Frames.Update(clientId, changes)),
              Masker.none());
    }

    boolean closedWithServerError() {
      return socket.closes.stream()
          .anyMatch(c -> c.getCloseCode().getCode() == CloseCodes.SERVER_ERROR.getCode());
    }
  }

  /** Joins as {@code RoomService.hello} does: an unloaded room is replaced by a fresh load. */
  private Member join(String room, String name, String session, Long resumeSeq) {
    Member m = new Member(name);
    while (true) {
      Room r =
          rooms.computeIfAbsent(room, n -> Room.load(n, store, writer, json, cluster, 262_144));
      synchronized (r) {
        if (!r.isUnloaded()) {
          r.join(m.conn, name, false, session, resumeSeq);
          return m;
        }
      }
      rooms.remove(room, r);
    }
  }

  private Member join(String room, String name) {
    return join(room, name, null, null);
  }

  private List<Long> storedSeqs(String room) {
    return db.rooms().after(room, 0, 100).stream().map(RoomStore.StoredFrame::seq).toList();
  }

  private int drains;

  /**
   * Waits until the writer has stored or dropped everything queued so far: a chat queued after it
   * in a room of its own is acknowledged.
   */
  private void drainWriter() {
    Member marker = join("drain-" + ++drains, "marker");
    marker.chat("m");
    await().atMost(WAIT).until(() -> marker.of("ack").size() == 1);
  }

  @AfterEach
  void stop() {
    store.gated = false;
    store.verdicts.add(true);
    writer.stop();
    db.close();
  }

  @Test
  void aFailedCommitDropsTheRoomsQueuedWritesAndTheNextJoinReloadsWhatIsStored() throws Exception {
    Member ana = join("r", "ana");
    ana.chat("a-1");
    await().atMost(WAIT).until(() -> ana.of("ack").size() == 1);
    Room failing = ana.room();

    store.gated = true;
    ana.chat("a-2"); // the batch that fails
    store.awaitHeld();
    ana.chat("a-3"); // queued behind it
    ana.chat("a-4");
    store.gated = false;
    store.verdicts.add(false);

    await().atMost(WAIT).until(failing::isUnloaded);
    assertThat(ana.closedWithServerError()).isTrue();
    // a frame that reaches the failed room before the close: refused (error unavailable)
    Throwable refused = catchThrowable(() -> ana.chat("a-5"));
    drainWriter();
    assertThat(storedSeqs("r")).containsExactly(1L);
    assertThat(refused).isInstanceOf(StoreException.class);
    assertThat(ana.of("ack")).hasSize(1);

    // the next join reloads the room from the store: no gap, the resumed member gets the rest
    Member bob = join("r", "bob");
    assertThat(bob.room()).isNotSameAs(failing);
    assertThat(bob.of("welcome").get(0).get("seq").asLong()).isEqualTo(1);
    bob.chat("b-1");
    await().atMost(WAIT).until(() -> bob.of("ack").size() == 1);
    assertThat(bob.of("ack").get(0).get("seq").asLong()).isEqualTo(2);
    String session = ana.of("welcome").get(0).get("resume").asText();
    Member back = join("r", "ana", session, 1L);
    assertThat(back.of("chat")).extracting(n -> n.get("seq").asLong()).containsExactly(2L);
    assertThat(storedSeqs("r")).containsExactly(1L, 2L);
  }

  @Test
  void aFailedBatchFailsEveryRoomInItAndNotTheRoomsQueuedBehindIt() throws Exception {
    store.gated = true;
    Member zed = join("z", "zed");
    zed.chat("z-1"); // holds the writer while the next batch gathers
    store.awaitHeld();
    Member ana = join("r1", "ana");
    Member bob = join("r2", "bob");
    ana.chat("a-1");
    bob.chat("b-1");
    store.verdicts.add(true);
    store.awaitHeld(); // r1 and r2 in one batch, about to fail
    ana.chat("a-2");
    Member cy = join("r3", "cy");
    cy.chat("c-1");
    store.gated = false;
    store.verdicts.add(false);

    await().atMost(WAIT).until(() -> cy.of("ack").size() == 1);
    assertThat(ana.room().isUnloaded()).isTrue();
    assertThat(bob.room().isUnloaded()).isTrue();
    assertThat(ana.closedWithServerError()).isTrue();
    assertThat(bob.closedWithServerError()).isTrue();
    assertThat(storedSeqs("r1")).isEmpty();
    assertThat(storedSeqs("r2")).isEmpty();
    assertThat(storedSeqs("z")).containsExactly(1L);
    assertThat(storedSeqs("r3")).containsExactly(1L);
    assertThat(cy.room().isUnloaded()).isFalse();
    assertThat(cy.closedWithServerError()).isFalse();
    assertThat(zed.of("ack")).hasSize(1);
  }

  @Test
  void aFailedPushLeavesTheStoredDocumentAndTheReloadedRoomTakesPushesOnIt() throws Exception {
    Member ana = join("r", "ana");
    ana.push(0, "ana", "[[0,\"a\"]]");
    await().atMost(WAIT).until(() -> ana.of("doc.updates").size() == 1);
    Room failing = ana.room();

    store.gated = true;
    ana.push(1, "ana", "[1,[0,\"b\"]]"); // fails
    store.awaitHeld();
    ana.push(2, "ana", "[2,[0,\"c\"]]"); // queued behind
    store.gated = false;
    store.verdicts.add(false);
    await().atMost(WAIT).until(failing::isUnloaded);
    Throwable refused = catchThrowable(() -> ana.push(3, "ana", "[3,[0,\"d\"]]"));
    drainWriter();
    assertThat(db.rooms().updates("r", Room.NOTES, 0))
        .extracting(u -> u.version())
        .containsExactly(0);
    assertThat(refused).isInstanceOf(StoreException.class);

    Member bob = join("r", "bob");
    JsonNode notes = bob.of("welcome").get(0).get("docs").get(Room.NOTES);
    assertThat(notes.get("version").asInt()).isEqualTo(1);
    assertThat(notes.get("text").asText()).isEqualTo("a");
    bob.push(1, "bob", "[1,[0,\"x\"]]");
    await().atMost(WAIT).until(() -> bob.of("doc.updates").size() == 1);
    assertThat(db.rooms().updates("r", Room.NOTES, 0))
        .extracting(u -> u.version() + " " + u.clientId())
        .containsExactly("0 ana", "1 bob");
    assertThat(storedSeqs("r")).containsExactly(1L, 2L);
    Member cy = join("r", "cy");
    assertThat(cy.of("welcome").get(0).get("docs").get(Room.NOTES).get("text").asText())
        .isEqualTo("ax");
  }

  @Test
  void pullsAndWelcomeShowOnlyDurableVersionsAndThePusherGetsItsUpdatesOnceDurable()
      throws Exception {
    Member ana = join("r", "ana");
    Member bob = join("r", "bob");
    store.gated = true;
    ana.push(0, "ana", "[[0,\"a\"]]");
    store.awaitHeld();

    bob.room().pull(bob.conn, Room.NOTES, 0);
    Member cy = join("r", "cy");
    assertThat(bob.of("doc.updates")).isEmpty();
    assertThat(bob.of("doc.snapshot")).isEmpty();
    assertThat(ana.of("doc.updates")).isEmpty();
    JsonNode notes = cy.of("welcome").get(0).get("docs").get(Room.NOTES);
    assertThat(notes.get("version").asInt()).isZero();
    assertThat(notes.get("text").asText()).isEmpty();

    store.gated = false;
    store.verdicts.add(true);
    await().atMost(WAIT).until(() -> ana.of("doc.updates").size() == 1);
    assertThat(ana.of("doc.updates").get(0).get("updates").get(0).get("clientID").asText())
        .isEqualTo("ana");
    // bob: the stored message, then his pull's answer with the same update
    await().atMost(WAIT).until(() -> bob.of("doc.updates").size() == 2);
    assertThat(bob.of("doc.updates"))
        .extracting(u -> u.get("version").asInt() + " " + u.get("updates").size())
        .containsExactly("0 1", "0 1");
  }

  @Test
  void aPullParkedOnAFailedPushIsNotAnsweredWithIt() throws Exception {
    Member ana = join("r", "ana");
    Member bob = join("r", "bob");
    Room failing = ana.room();
    store.gated = true;
    ana.push(0, "ana", "[[0,\"a\"]]");
    store.awaitHeld();
    bob.room().pull(bob.conn, Room.NOTES, 0);
    store.gated = false;
    store.verdicts.add(false);
    await().atMost(WAIT).until(failing::isUnloaded);
    drainWriter();
    assertThat(bob.of("doc.updates")).isEmpty();
    assertThat(bob.closedWithServerError()).isTrue();
    assertThatThrownBy(() -> bob.room().pull(bob.conn, Room.NOTES, 0))
        .isInstanceOf(StoreException.class);
  }
}
