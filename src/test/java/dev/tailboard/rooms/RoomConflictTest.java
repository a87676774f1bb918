package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.config.Config;
import dev.tailboard.masks.Masker;
import dev.tailboard.metrics.Metrics;
import dev.tailboard.store.ClusterBus;
import dev.tailboard.store.TestStores;
import dev.tailboard.support.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' rooms on one H2 database, with buses that deliver to each other only when a test says
 * so: a seq or document version the other node took first is redone or rejected, and what the other
 * node stored reaches this node's members.
 */
class RoomConflictTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Executor NOW = Runnable::run;

  private final Json json = new Json();
  private final TestStores.Embedded db = TestStores.embedded();
  private final Node a = new Node("node-a");
  private final Node b = new Node("node-b");

  /** One node: its writer, bus and rooms. */
  private final class Node {
    final FakeBus bus;
    final RoomWriter writer = new RoomWriter();
    final Map<String, Room> rooms = new ConcurrentHashMap<>();
    final RoomCluster cluster;

    Node(String id) {
      bus = new FakeBus(id);
      writer.store = db.rooms();
      writer.config = new Config(name -> null, Map.of());
      writer.metrics = new Metrics();
      writer.bus = bus;
      writer.start();
      cluster = new RoomCluster(bus, db.rooms(), json, rooms::get, rooms::values, 30_000);
      cluster.start();
    }

    Room room(String name) {
      return rooms.computeIfAbsent(
          name, n -> Room.load(n, db.rooms(), writer, json, cluster, 262_144));
    }

    Member join(String room, String name) {
      Member m = new Member(name);
      room(room).join(m.conn, name, false, null, null);
      return m;
    }

    void stop() {
      cluster.stop();
      writer.stop();
    }
  }

  /** A bus that hands this node's news to the linked node's listeners, if linked. */
  private static final class FakeBus implements ClusterBus {
    final String id;
    final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    volatile FakeBus peer;

    FakeBus(String id) {
      this.id = id;
    }

    @Override
    public boolean clustered() {
      return true;
    }

    @Override
    public String nodeId() {
      return id;
    }

    @Override
    public void announce(String channel, long position) {
      FakeBus to = peer;
      if (to != null) {
        to.listening(channel).announced(channel, position);
      }
    }

    @Override
    public void send(String channel, String payload) {
      FakeBus to = peer;
      if (to != null) {
        to.listening(channel).received(channel, payload);
      }
    }

    @Override
    public void listen(String prefix, Listener listener) {
      listeners.put(prefix, listener);
    }

    Listener listening(String channel) {
      return listeners.get(channel.substring(0, 2));
    }
  }

  /** A room member whose socket records every frame sent to it. */
  private final class Member {
    final FakeSocket socket;
    final List<String> sent;
    final RoomConnection conn;

    Member(String name) {
      socket = new FakeSocket(name + "-conn", true, new Object());
      sent = socket.sent;
      conn = new RoomConnection(socket.session(), 1024, 4_000_000, 1000, NOW, NOW);
      conn.mayWrite = true;
    }

    List<JsonNode> of(String type) {
      List<JsonNode> out = new ArrayList<>();
      for (String f : sent) {
        JsonNode n = json.read(f, JsonNode.class);
        if (type.equals(n.path("type").asText())) {
          out.add(n);
        }
      }
      return out;
    }
  }

  @AfterEach
  void stop() {
    a.stop();
    b.stop();
    db.close();
  }

  @Test
  void aChatWhoseSeqAnotherNodeTookIsStoredWithTheNextSeqAfterTheOthersMessage() {
    Member ana = a.join("r", "ana");
    Member bob = b.join("r", "bob");
    bob.conn.room.chat(bob.conn, "b-1", "first");
    await().atMost(WAIT).until(() -> bob.of("ack").size() == 1);

    ana.conn.room.chat(ana.conn, "a-1", "second");
    ana.conn.room.chat(ana.conn, "a-2", "third");

    await().atMost(WAIT).until(() -> ana.of("ack").size() == 2);
    assertThat(ana.of("ack")).extracting(n -> n.get("seq").asLong()).containsExactly(2L, 3L);
    assertThat(ana.of("chat"))
        .extracting(n -> n.get("seq").asLong() + " " + n.get("text").asText())
        .containsExactly("1 first", "2 second", "3 third");
    assertThat(db.rooms().after("r", 0, 10)).hasSize(3);
  }

  @Test
  void aPushWhoseVersionAnotherNodeTookIsRejectedAndTheDocumentIsWhatIsStored() {
    Member ana = a.join("r", "ana");
    Member bob = b.join("r", "bob");
    bob.conn.room.push(
        bob.conn, "notes", 0, List.of(new Frames.Update("bob", "[[0,\"b\"]]")), Masker.none());
    await().atMost(WAIT).until(() -> bob.of("doc.updates").size() == 1);

    ana.conn.room.push(
        ana.conn, "notes", 0, List.of(new Frames.Update("ana", "[[0,\"a\"]]")), Masker.none());
    ana.conn.room.chat(ana.conn, "a-1", "after my push");

    await().atMost(WAIT).until(() -> ana.of("doc.reject").size() == 1);
    assertThat(ana.of("doc.reject").get(0).get("version").asInt()).isEqualTo(1);
    await().atMost(WAIT).until(() -> ana.of("ack").size() == 1);
    assertThat(ana.of("ack").get(0).get("seq").asLong()).isEqualTo(2);
    // bob's update reached ana as a stored message; ana's never went out
    assertThat(ana.of("doc.updates"))
        .extracting(n -> n.get("updates").get(0).get("clientID").asText())
        .containsExactly("bob");

    Member cy = a.join("r", "cy");
    JsonNode notes = cy.of("welcome").get(0).get("docs").get("notes");
    assertThat(notes.get("version").asInt()).isEqualTo(1);
    assertThat(notes.get("text").asText()).isEqualTo("b");
    ana.conn.room.push(
        ana.conn, "notes", 1, List.of(new Frames.Update("ana", "[[1,\"a\"]]")), Masker.none());
    await().atMost(WAIT).until(() -> cy.of("doc.updates").size() == 1);
    assertThat(db.rooms().updates("r", "notes", 0)).hasSize(2);
  }

  @Test
  void storedMessagesAndEphemeralFramesOfOneNodeReachTheMembersOfTheOther() {
    a.bus.peer = b.bus;
    b.bus.peer = a.bus;
    Member ana = a.join("r", "ana");
    // recorded off the joining thread; until then the bus tells the other node instead
    await().atMost(WAIT).until(() -> db.rooms().members("r").size() == 1);
    Member bob = b.join("r", "bob");
    assertThat(bob.of("welcome").get(0).get("members"))
        .extracting(m -> m.get("name").asText())
        .containsExactlyInAnyOrder("ana", "bob");
    await().atMost(WAIT).until(() -> ana.of("presence").size() == 1);

    bob.conn.room.chat(bob.conn, "b-1", "hi");
    bob.conn.room.push(
        bob.conn, "notes", 0, List.of(new Frames.Update("bob", "[[0,\"b\"]]")), Masker.none());
    bob.conn.room.point(bob.conn, 7, null);
    await().atMost(WAIT).until(() -> ana.of("doc.updates").size() == 1);
    assertThat(ana.of("chat")).hasSize(1);
    await().atMost(WAIT).until(() -> ana.of("point").size() == 1);

    // ana's node is now at version 1 too: her push on it is accepted
    ana.conn.room.push(
        ana.conn, "notes", 1, List.of(new Frames.Update("ana", "[[1,\"a\"]]")), Masker.none());
    await().atMost(WAIT).until(() -> bob.of("doc.updates").size() == 2);
    assertThat(ana.of("doc.reject")).isEmpty();

    b.rooms.get("r").leave(bob.conn);
    await().atMost(WAIT).until(() -> ana.of("presence").size() == 2);
    assertThat(ana.of("presence").get(1).get("event").asText()).isEqualTo("left");
  }

  @Test
  void theMembersOfANodeThatStopsBeatingLeaveTheRoomOnTheOthers() {
    a.bus.peer = b.bus;
    b.bus.peer = a.bus;
    Member ana = a.join("r", "ana");
    b.join("r", "bob");
    await().atMost(WAIT).until(() -> ana.of("presence").size() == 1);
    Member cy = a.join("r", "cy");
    ana.sent.clear();
    assertThat(cy.of("welcome").get(0).get("members")).hasSize(3);

    // node b falls silent; node a looks twice, more than a (1 ms) ping interval apart
    a.bus.peer = null;
    b.bus.peer = null;
    RoomCluster fast = new RoomCluster(a.bus, db.rooms(), json, a.rooms::get, a.rooms::values, 1);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              fast.tick();
              return ana.of("presence").size() == 1;
            });
    assertThat(ana.of("presence").get(0).get("event").asText()).isEqualTo("left");
    assertThat(ana.of("presence").get(0).get("member").get("name").asText()).isEqualTo("bob");
    assertThat(db.rooms().nodes()).doesNotContainKey("node-b");
    assertThat(db.rooms().members("r")).extracting(r -> r.node()).containsOnly("node-a");
  }

  @Test
  void aMemberResumingOnANodeBehindTheStoreGetsNothingTwice() {
    Resume r = bobChatsTwiceOnB();
    Member ana = r.ana();
    Member bob = r.bob();
    Member back = r.back();
    // node b dies; bob comes back on node a, whose room has not heard of b's chats yet
    a.room("r").join(back.conn, "bob", false, r.session(), 2L);
    bob.conn.room.chat(bob.conn, "b-3", "three"); // stored by b after bob's last seq
    await().atMost(WAIT).until(() -> bob.of("chat").size() == 3);

    a.cluster.announced(RoomWriter.STORED + "r", 3);
    await().atMost(WAIT).until(() -> ana.of("chat").size() == 3);
    assertThat(back.of("chat")).extracting(n -> n.get("seq").asLong()).containsExactly(3L);
    assertThat(back.of("welcome").get(0).get("seq").asLong()).isEqualTo(2);
  }

  @Test
  void aMemberResumingWhileTheNodeHasWritesPendingGetsNothingTwice() {
    Resume r = bobChatsTwiceOnB();
    Member ana = r.ana();
    Room room = a.room("r");
    synchronized (room) {
      // ana's chat takes seq 1 on node a, refused later: pending while bob resumes there
      room.chat(ana.conn, "a-1", "mine");
      room.join(r.back().conn, "bob", false, r.session(), 2L);
    }

    await().atMost(WAIT).until(() -> ana.of("ack").size() == 1);
    await().atMost(WAIT).until(() -> ana.of("chat").size() == 3);
    assertThat(ana.of("ack").get(0).get("seq").asLong()).isEqualTo(3);
    assertThat(r.back().of("chat")).extracting(n -> n.get("seq").asLong()).containsExactly(3L);
  }

  @Test
  void aPullFromAVersionTheNodeHasNotReadYetIsAnsweredFromTheStore() {
    Member ana = a.join("r", "ana");
    Member bob = b.join("r", "bob");
    bob.conn.room.push(
        bob.conn, "notes", 0, List.of(new Frames.Update("bob", "[[0,\"b\"]]")), Masker.none());
    await().atMost(WAIT).until(() -> bob.of("doc.updates").size() == 1);

    // an editor synced to version 1 on node b comes back on node a, which has not read it
    Member back = a.join("r", "bob-again");
    back.conn.room.pull(back.conn, "notes", 1);
    // the store read broadcasts bob's update (the editor skips it, it has it), then the answer
    assertThat(back.of("doc.updates"))
        .extracting(u -> u.get("version").asInt() + " " + u.get("updates").size())
        .containsExactly("0 1", "1 0");
    // ana got the update from the store read
    assertThat(ana.of("doc.updates")).hasSize(1);
    // a version nobody stored is still an error
    assertThatThrownBy(() -> back.conn.room.pull(back.conn, "notes", 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** ana on node a, bob on node b, bob's session and his connection to come back with. */
  private record Resume(Member ana, Member bob, String session, Member back) {}

  /** Two chats of bob on node b (seqs 1 and 2), not announced to node a. */
  private Resume bobChatsTwiceOnB() {
    Member ana = a.join("r", "ana");
    Member bob = b.join("r", "bob");
    bob.conn.room.chat(bob.conn, "b-1", "one");
    bob.conn.room.chat(bob.conn, "b-2", "two");
    await().atMost(WAIT).until(() -> bob.of("chat").size() == 2);
    String session = bob.of("welcome").get(0).get("resume").asText();
    return new Resume(ana, bob, session, new Member("bob-again"));
  }
}
