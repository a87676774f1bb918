package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ClusterNodes;
import dev.tailboard.testing.CollabClient;
import dev.tailboard.testing.Nginx;
import dev.tailboard.testing.Postgres;
import dev.tailboard.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rooms across three nodes (the real WAR, each in its own JVM) on one PostgreSQL, behind nginx:
 * what members on different nodes rely on. Presence, chat order and seqs, pointers; two real
 * CodeMirror editors on two nodes; a node killed with {@code kill -9} (its members leave within two
 * ping intervals, a member of it resumes through nginx and misses nothing); a node stopped
 * gracefully closes its sockets with 1001. Nodes run with {@code ws.pingSeconds=1}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomsAcrossNodesIT {

  private static final String DATABASE = "rooms_it";
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A dead node's members leave within 2 × ws.pingSeconds; a second of slack. */
  private static final Duration PRESENCE_DROP = Duration.ofSeconds(3);

  private static final int CHATS_PER_SENDER = 50;
  private static final int DURING_RESUME = 30;

  private static Postgres postgres;
  private static ClusterNodes nodes;
  private static Nginx nginx;
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    postgres = Postgres.shared();
    postgres.createDatabase(DATABASE);
    nodes = ClusterNodes.start(3, postgres.jdbcUrl(DATABASE));
    nginx = Nginx.start(nodes.baseUrls());
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  void membersOnThreeNodesSeePresenceChatInOneGaplessOrderAndPointers() throws Exception {
    String room = freshRoom();
    List<WsClient> all = oneOnEachNode(room);
    WsClient alice = all.get(0);
    WsClient bob = all.get(1);
    WsClient carol = all.get(2);

    // two senders on two nodes at once
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<Void> fromAlice =
        CompletableFuture.runAsync(() -> chats(alice, "a", CHATS_PER_SENDER, go));
    CompletableFuture<Void> fromBob =
        CompletableFuture.runAsync(() -> chats(bob, "b", CHATS_PER_SENDER, go));
    go.countDown();
    fromAlice.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    fromBob.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    int total = 2 * CHATS_PER_SENDER;
    await().atMost(WAIT).until(() -> all.stream().allMatch(c -> c.of("chat").size() >= total));
    await().atMost(WAIT).until(() -> alice.of("ack").size() + bob.of("ack").size() >= total);

    List<String> order = ids(alice.of("chat"));
    for (WsClient c : all) {
      assertThat(c.of("error")).as("errors").isEmpty();
      List<JsonNode> chats = c.of("chat");
      assertThat(ids(chats)).as("one order everywhere, each chat once").isEqualTo(order);
      assertThat(chats.stream().map(f -> f.get("seq").asLong()).toList())
          .as("seqs unique and gapless")
          .isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
    }
    assertThat(order).doesNotHaveDuplicates().hasSize(total);
    // every ack names the seq the others saw for that chat
    Map<String, Long> seen = seqById(carol.of("chat"));
    Map<String, Long> acked = new HashMap<>();
    for (WsClient sender : List.of(alice, bob)) {
      for (JsonNode ack : sender.of("ack")) {
        acked.put(ack.get("id").asText(), ack.get("seq").asLong());
      }
    }
    assertThat(acked).isEqualTo(seen);
    assertThat(alice.of("ack")).hasSize(CHATS_PER_SENDER);
    assertThat(bob.of("ack")).hasSize(CHATS_PER_SENDER);

    // a pointer from node 2 reaches nodes 0 and 1
    carol.send(Map.of("type", "point", "line", 42, "build", 7));
    for (WsClient c : List.of(alice, bob)) {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  c.has(
                      "point",
                      p ->
                          p.get("line").asLong() == 42
                              && p.get("build").asLong() == 7
                              && "carol".equals(p.get("from").get("name").asText())));
    }
    // and a leave on node 2 too
    carol.close();
    awaitPresence(alice, "left", "carol");
    awaitPresence(bob, "left", "carol");
  }

  @Test
  @Order(2)
  void twoCodeMirrorEditorsOnTwoNodesConvergeAndANewcomerOnTheThirdSeesTheirText()
      throws Exception {
    String room = "collab-" + freshRoom();
    JsonNode summary = CollabClient.run(ws(node(0)), room, ws(node(1))).converged();
    System.out.println("collab.mjs across nodes 0 and 1, " + room + ": " + summary);

    WsClient newcomer = join(node(2), room, "erin");
    JsonNode notes = newcomer.welcome().get("docs").get("notes");
    assertThat(notes.get("version").asInt()).isEqualTo(summary.get("version").asInt());
    assertThat(notes.get("text").asText()).isEqualTo(summary.get("text").asText());
  }

  @Test
  @Order(3)
  void aKilledNodesMembersLeaveTheRoomGoesOnAndItsMemberResumesThroughNginx() throws Exception {
    String room = freshRoom();
    List<WsClient> all = oneOnEachNode(room);
    WsClient alice = all.get(0);
    WsClient bob = all.get(1);
    WsClient carol = all.get(2);
    alice.send(chat("before-1", "before the kill"));
    await().atMost(WAIT).until(() -> all.stream().allMatch(c -> c.of("chat").size() == 1));
    // bob's chat is stored, but he will act as if its ack was lost with node 1: he resumes from
    // the seq before it and sends it again
    JsonNode unacked = Api.JSON.valueToTree(chat("bob-1", "did this get through?"));
    bob.send(unacked);
    await().atMost(WAIT).until(() -> all.stream().allMatch(c -> c.of("chat").size() == 2));
    String session = bob.welcome().get("resume").asText();
    String bobId = bob.welcome().get("you").get("id").asText();
    long lastSeen = bob.of("chat").get(0).get("seq").asLong();

    long killedAt = System.nanoTime();
    nodes.kill(1);
    await("bob leaves on both surviving nodes")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> hasPresence(alice, "left", "bob") && hasPresence(carol, "left", "bob"));
    long dropMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.println("kill -9: bob left on nodes 0 and 2 after " + dropMillis + " ms");
    assertThat(dropMillis)
        .as("ms from the kill to bob's presence left")
        .isLessThanOrEqualTo(PRESENCE_DROP.toMillis());
    await().atMost(WAIT).until(() -> bob.closeCode.isDone());

    // the room goes on between the survivors
    for (int i = 1; i <= 3; i++) {
      alice.send(chat("away-a" + i, "while bob was away " + i));
      carol.send(chat("away-c" + i, "while bob was away " + i));
    }
    await().atMost(WAIT).until(() -> alice.of("chat").size() == 8 && carol.of("chat").size() == 8);
    assertThat(ids(alice.of("chat"))).isEqualTo(ids(carol.of("chat")));

    // bob comes back through nginx (which finds node 1 dead) and resumes from his last seq while
    // both survivors go on chatting, so his replay races live chats of his node and another's
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<Void> fromAlice =
        CompletableFuture.runAsync(() -> chats(alice, "on-a", DURING_RESUME, go));
    CompletableFuture<Void> fromCarol =
        CompletableFuture.runAsync(() -> chats(carol, "on-c", DURING_RESUME, go));
    long resumedAt = System.nanoTime();
    WsClient back = WsClient.connectUrl(nginx.wsUrl() + "/ws/rooms/" + room, auth("bob"));
    clients.add(back);
    back.send(
        Map.of(
            "type", "hello", "name", "bob", "resume", Map.of("session", session, "seq", lastSeen)));
    go.countDown();
    back.send(unacked);
    await().atMost(WAIT).until(() -> back.of("chat").size() >= 7);
    long resumeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumedAt);
    System.out.println("resume through nginx: the 7 chats missed in " + resumeMillis + " ms");
    fromAlice.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    fromCarol.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    int total = 8 + 2 * DURING_RESUME;
    await()
        .atMost(WAIT)
        .until(
            () ->
                alice.of("chat").size() >= total
                    && carol.of("chat").size() >= total
                    && back.of("chat").size() >= total - (int) lastSeen
                    && !back.of("ack").isEmpty());
    assertThat(back.welcome().get("you").get("id").asText()).isEqualTo(bobId);
    assertThat(names(back.welcome().get("members")))
        .containsExactlyInAnyOrder("alice", "bob", "carol");
    List<JsonNode> stored = carol.of("chat");
    assertThat(ids(alice.of("chat"))).isEqualTo(ids(stored)).doesNotHaveDuplicates();
    assertThat(stored.stream().map(f -> f.get("seq").asLong()).toList())
        .isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(ids(back.of("chat")))
        .as("every chat after his seq once, in the room's order")
        .isEqualTo(ids(stored.subList((int) lastSeen, total)));
    assertThat(back.of("ack"))
        .singleElement()
        .satisfies(
            ack -> {
              assertThat(ack.get("id").asText()).isEqualTo("bob-1");
              assertThat(ack.get("seq").asLong()).isEqualTo(seqById(stored).get("bob-1"));
            });
    // his return is news on both survivors' nodes (each had seen him join, or listed him, once)
    await().atMost(WAIT).until(() -> presences(alice, "joined", "bob") == 2);
    await().atMost(WAIT).until(() -> presences(carol, "joined", "bob") == 1);
    assertThat(back.of("error")).isEmpty();
    nodes.node(1).startAgain();
  }

  @Test
  @Order(4)
  void aGracefullyStoppedNodeClosesItsSocketsWithGoingAway() throws Exception {
    String room = freshRoom();
    WsClient alice = join(node(0), room, "alice");
    WsClient bob = join(node(1), room, "bob");
    WsClient bea = join(node(1), "other-" + room, "bea");
    awaitPresence(alice, "joined", "bob");

    nodes.node(1).stop();

    assertThat(bob.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
    assertThat(bea.closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
    awaitPresence(alice, "left", "bob");
  }

  private static String freshRoom() {
    return "rooms-it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String node(int i) {
    return nodes.node(i).baseUrl();
  }

  private static String ws(String base) {
    return base.replaceFirst("^http", "ws");
  }

  private static Map<String, String> auth(String name) {
    return WsClient.as(name);
  }

  /** Joins {@code room} directly on the node at {@code base} and waits for the welcome. */
  private WsClient join(String base, String room, String name) {
    WsClient c = WsClient.connectUrl(ws(base) + "/ws/rooms/" + room, auth(name));
    clients.add(c);
    c.send(Map.of("type", "hello", "name", name));
    await().atMost(WAIT).until(() -> !c.of("welcome").isEmpty());
    return c;
  }

  /**
   * alice on node 0, bob on node 1, carol on node 2, once each sees the others: a later member's
   * welcome lists the members on every node, the earlier ones get its presence {@code joined}.
   */
  private List<WsClient> oneOnEachNode(String room) throws IOException {
    WsClient alice = join(node(0), room, "alice");
    // a member's row is written just after its welcome: a member joining later lists it
    awaitMemberRows(room, 1);
    WsClient bob = join(node(1), room, "bob");
    assertThat(names(bob.welcome().get("members"))).containsExactlyInAnyOrder("alice", "bob");
    awaitPresence(alice, "joined", "bob");
    awaitMemberRows(room, 2);
    WsClient carol = join(node(2), room, "carol");
    assertThat(names(carol.welcome().get("members")))
        .containsExactlyInAnyOrder("alice", "bob", "carol");
    awaitPresence(alice, "joined", "carol");
    awaitPresence(bob, "joined", "carol");
    return List.of(alice, bob, carol);
  }

  private static void awaitMemberRows(String room, int rows) {
    String count = "SELECT count(*) FROM room_members WHERE room = '" + room + "'";
    await("room_members rows of " + room)
        .atMost(WAIT)
        .until(() -> Integer.parseInt(postgres.query(DATABASE, count)) == rows);
  }

  private static Map<String, Object> chat(String id, String text) {
    return Map.of("type", "chat", "id", id, "text", text);
  }

  /**
   * Sends {@code count} chats as fast as it can once {@code go} opens (at most the rate limit's
   * burst, {@code ws.maxMessagesPerSecond} = 50, since the sender's last burst).
   */
  private static void chats(WsClient sender, String prefix, int count, CountDownLatch go) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    for (int i = 1; i <= count; i++) {
      sender.send(chat(prefix + "-" + i, prefix + " says " + i));
    }
  }

  private static void awaitPresence(WsClient c, String event, String name) {
    await(name + " " + event).atMost(WAIT).until(() -> hasPresence(c, event, name));
  }

  private static boolean hasPresence(WsClient c, String event, String name) {
    return presences(c, event, name) > 0;
  }

  private static long presences(WsClient c, String event, String name) {
    return c.of("presence").stream()
        .filter(
            p ->
                event.equals(p.get("event").asText())
                    && name.equals(p.get("member").get("name").asText()))
        .count();
  }

  private static List<String> names(JsonNode members) {
    List<String> out = new ArrayList<>();
    members.forEach(m -> out.add(m.get("name").asText()));
    return out;
  }

  private static List<String> ids(List<JsonNode> chats) {
    return chats.stream().map(f -> f.get("id").asText()).toList();
  }

  private static Map<String, Long> seqById(List<JsonNode> chats) {
    Map<String, Long> out = new HashMap<>();
    chats.forEach(f -> out.put(f.get("id").asText(), f.get("seq").asLong()));
    return out;
  }
}
