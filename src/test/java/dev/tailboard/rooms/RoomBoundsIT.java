package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.SseStream;
import dev.tailboard.testing.WarServer;
import dev.tailboard.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounds for rooms (the limits.* and rooms.* settings, README's Configuration), on a server of
 * its own with small limits: connections per client address (streams and WebSockets together),
 * rooms per client, the shared document's length and the messages a room keeps. Each test closes
 * what it opened; the server counts a connection until its close arrives, hence the waits before a
 * test starts.
 */
class RoomBoundsIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int CONNECTIONS = 5;
  private static final int ROOMS = 2;
  private static final int DOC_CHARS = 100;
  private static final int KEPT = 20;

  private static WarServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        WarServer.start(
            Map.of(
                "tailboard.limits.connectionsPerClient", Integer.toString(CONNECTIONS),
                "tailboard.rooms.maxPerClient", Integer.toString(ROOMS),
                "tailboard.rooms.maxDocChars", Integer.toString(DOC_CHARS),
                "tailboard.rooms.maxStoredMessages", Integer.toString(KEPT),
                "tailboard.ws.maxMessagesPerSecond", "1000"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static String freshRoom() {
    return "bounds-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static WsClient connect(String room, String name) {
    String url = server.baseUrl().replaceFirst("^http", "ws") + "/ws/rooms/" + room;
    return WsClient.connectUrl(url, WsClient.as(name));
  }

  /** Connects and says hello; null when the server refused (the client is closed then). */
  private static WsClient join(String room, String name) {
    WsClient c = connect(room, name);
    try {
      c.send(Map.of("type", "hello"));
    } catch (java.util.concurrent.CompletionException e) {
      // a refusal at open (too many rooms, too many connections) may close the socket before
      // the hello is sent: the close code below says why
      await().atMost(WAIT).until(c.closeCode::isDone);
    }
    await().atMost(WAIT).until(() -> !c.of("welcome").isEmpty() || c.closeCode.isDone());
    return c;
  }

  /** A member in {@code room}, once the connections of an earlier test are given back. */
  private static WsClient member(String room, String name) {
    List<WsClient> got = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              WsClient c = join(room, name);
              if (c.of("welcome").isEmpty()) {
                c.close();
                return false;
              }
              got.add(c);
              return true;
            });
    return got.get(0);
  }

  private static void assertRefused(WsClient c, String code, int close) throws Exception {
    assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(close);
    assertThat(c.of("error")).extracting(e -> e.get("code").asText()).containsExactly(code);
    assertThat(c.of("welcome")).isEmpty();
  }

  @Test
  void streamsAndWebSocketsOfOneAddressShareItsConnectionLimit() throws Exception {
    String room = freshRoom();
    long build = new Api(server.baseUrl(), ItServer.publisher()).createBuild();
    List<WsClient> held = new ArrayList<>();
    try (SseStream stream =
        SseStream.openAt(server.baseUrl() + "/api/builds/" + build + "/events", Map.of())) {
      assertThat(stream.status()).isEqualTo(200);
      for (int i = 1; i < CONNECTIONS; i++) {
        held.add(member(room, "holder-" + i));
      }
      // one stream and four sockets: the fifth socket and a second stream are refused
      try (WsClient refused = join(room, "one-too-many")) {
        assertRefused(refused, "too_many_connections", 4430);
      }
      try (SseStream second =
          SseStream.openAt(server.baseUrl() + "/api/builds/" + build + "/events", Map.of())) {
        assertThat(second.status()).isEqualTo(429);
      }
      // the members already in are served on
      held.get(0).send(Map.of("type", "chat", "id", "still", "text", "here"));
      await()
          .atMost(WAIT)
          .until(() -> held.get(1).has("chat", m -> "still".equals(m.get("id").asText())));
      held.remove(0).close();
      // a closed socket gives its place back
      held.add(member(room, "next"));
    } finally {
      held.forEach(WsClient::close);
    }
  }

  @Test
  void oneAddressIsInAtMostMaxPerClientRooms() throws Exception {
    String first = freshRoom();
    String second = freshRoom();
    List<WsClient> held = new ArrayList<>();
    try {
      held.add(member(first, "roamer"));
      held.add(member(second, "roamer"));
      try (WsClient third = join(freshRoom(), "roamer")) {
        assertRefused(third, "too_many_rooms", 4431);
      }
      // another connection to a room it is in counts no further room
      held.add(member(first, "roamer-2"));
      held.remove(1).close();
      held.add(member(freshRoom(), "roamer"));
    } finally {
      held.forEach(WsClient::close);
    }
  }

  @Test
  void aPushThatWouldMakeTheDocumentTooLongIsRefusedAndNothingApplied() {
    String room = freshRoom();
    String sixty = "s".repeat(60);
    try (WsClient c = member(room, "writer")) {
      c.send(WsClient.notesPush("c", 0, List.of(List.of(0, sixty))));
      await().atMost(WAIT).until(() -> c.of("doc.updates").size() == 1);
      // 60 + 41 > 100: refused, the version stays
      c.send(WsClient.notesPush("c", 1, List.of(60, List.of(0, "t".repeat(41)))));
      await().atMost(WAIT).until(() -> !c.of("error").isEmpty());
      assertThat(c.of("error").get(0).get("code").asText()).isEqualTo("too_large");
      // exactly 100 fits, on the same version: nothing was applied before
      c.send(WsClient.notesPush("c", 1, List.of(60, List.of(0, "t".repeat(40)))));
      await().atMost(WAIT).until(() -> c.of("doc.updates").size() == 2);
      assertThat(c.of("doc.updates").get(1).get("version").asInt()).isEqualTo(1);
    }
    try (WsClient late = member(room, "reader")) {
      JsonNode notes = late.welcome().get("docs").get("notes");
      assertThat(notes.get("version").asInt()).isEqualTo(2);
      assertThat(notes.get("text").asText()).isEqualTo(sixty + "t".repeat(40));
    }
  }

  @Test
  void aRoomKeepsItsNewestStoredMessagesAndAResumeGetsWhatIsKept() {
    String room = freshRoom();
    int sent = 3 * KEPT;
    try (WsClient c = member(room, "chatty")) {
      for (int i = 1; i <= sent; i++) {
        c.send(Map.of("type", "chat", "id", "m-" + i, "text", "message " + i));
      }
      await().atMost(WAIT).until(() -> c.of("ack").size() == sent);
    }
    // the writer prunes after it acknowledged a batch: the last prune may still be on its way
    List<List<Long>> resumed = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              resumed.add(0, resumedSeqs(room, "m-" + sent));
              return resumed.get(0).size() <= KEPT + KEPT / 10;
            });
    List<Long> seqs = resumed.get(0);
    // the newest KEPT at least, at most a tenth more (pruned every KEPT / 10 messages)
    assertThat(seqs.size()).isBetween(KEPT, KEPT + KEPT / 10);
    assertThat(seqs.get(seqs.size() - 1)).isEqualTo(sent);
    assertThat(seqs.get(seqs.size() - 1) - seqs.get(0) + 1).isEqualTo(seqs.size());
  }

  /**
   * The seqs of the chats a {@code hello.resume} from seq 0 gets, up to the one with {@code last}.
   */
  private static List<Long> resumedSeqs(String room, String last) {
    try (WsClient back = connect(room, "chatty")) {
      back.send(Map.of("type", "hello", "resume", Map.of("seq", 0)));
      await().atMost(WAIT).until(() -> back.has("chat", m -> m.get("id").asText().equals(last)));
      return back.of("chat").stream().map(m -> m.get("seq").asLong()).toList();
    }
  }
}
