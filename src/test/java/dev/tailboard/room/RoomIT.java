package dev.tailboard.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.RawWsClient;
import dev.tailboard.testing.SseStream;
import dev.tailboard.testing.WsClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Collaboration rooms (SPEC §6) against the real WAR with a real WebSocket client. */
class RoomIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static String freshRoom() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static WsClient join(String room, String name) {
    WsClient c = WsClient.connect(room);
    c.send(Map.of("type", "hello", "name", name));
    await().atMost(WAIT).until(() -> !c.of("welcome").isEmpty());
    return c;
  }

  private static Map<String, Object> chat(String id, String text) {
    return Map.of("type", "chat", "id", id, "text", text);
  }

  @Test
  void membersSeeEachOtherJoinAndLeave() {
    String room = freshRoom();
    try (WsClient alice = join(room, "alice")) {
      assertThat(alice.welcome().get("members")).hasSize(1);
      assertThat(alice.welcome().get("you").get("name").asText()).isEqualTo("alice");
      assertThat(alice.welcome().get("docs").get("notes").get("version").asInt()).isZero();
      try (WsClient bob = join(room, "bob")) {
        List<String> names = new ArrayList<>();
        bob.welcome().get("members").forEach(m -> names.add(m.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("alice", "bob");
        await()
            .atMost(WAIT)
            .until(() -> alice.has("presence", p -> "joined".equals(p.get("event").asText())));
        assertThat(alice.of("presence").get(0).get("member").get("name").asText()).isEqualTo("bob");
      }
      await()
          .atMost(WAIT)
          .until(() -> alice.has("presence", p -> "left".equals(p.get("event").asText())));
    }
  }

  @Test
  void chatIsAckedStoredBroadcastAndDeduplicatedByClientId() {
    String room = freshRoom();
    try (WsClient alice = join(room, "alice");
        WsClient bob = join(room, "bob")) {
      alice.send(chat("c-1", "hello bob"));
      await().atMost(WAIT).until(() -> !alice.of("ack").isEmpty());
      JsonNode ack = alice.of("ack").get(0);
      assertThat(ack.get("id").asText()).isEqualTo("c-1");
      await().atMost(WAIT).until(() -> !bob.of("chat").isEmpty());
      JsonNode got = bob.of("chat").get(0);
      assertThat(got.get("seq").asLong()).isEqualTo(ack.get("seq").asLong());
      assertThat(got.get("text").asText()).isEqualTo("hello bob");
      assertThat(got.get("from").get("name").asText()).isEqualTo("alice");

      alice.send(chat("c-1", "hello bob"));
      await().atMost(WAIT).until(() -> alice.of("ack").size() == 2);
      assertThat(alice.of("ack").get(1).get("seq").asLong()).isEqualTo(ack.get("seq").asLong());
      alice.send(Map.of("type", "ping"));
      await().atMost(WAIT).until(() -> !alice.of("pong").isEmpty());
      await().atMost(WAIT).until(() -> bob.frames.size() >= 1);
      assertThat(bob.of("chat")).hasSize(1);
    }
    try (WsClient late = join(room, "carol")) {
      assertThat(late.welcome().get("chat")).hasSize(1);
      assertThat(late.welcome().get("chat").get(0).get("text").asText()).isEqualTo("hello bob");
    }
  }

  @Test
  void resumeReplaysExactlyTheMissedMessages() {
    String room = freshRoom();
    String session;
    long seq;
    try (WsClient alice = join(room, "alice")) {
      alice.send(chat("a-1", "first"));
      await().atMost(WAIT).until(() -> !alice.of("ack").isEmpty());
      session = alice.welcome().get("session").asText();
      seq = alice.of("ack").get(0).get("seq").asLong();
    }
    try (WsClient bob = join(room, "bob")) {
      for (int i = 1; i <= 3; i++) {
        bob.send(chat("b-" + i, "missed " + i));
      }
      await().atMost(WAIT).until(() -> bob.of("ack").size() == 3);
      try (WsClient back = WsClient.connect(room)) {
        back.send(
            Map.of(
                "type",
                "hello",
                "name",
                "alice",
                "resume",
                Map.of("session", session, "seq", seq)));
        await().atMost(WAIT).until(() -> back.of("chat").size() >= 3);
        assertThat(back.welcome().get("you").get("id").asText()).isEqualTo(session);
        assertThat(back.of("chat"))
            .extracting(c -> c.get("text").asText())
            .containsExactly("missed 1", "missed 2", "missed 3");
        bob.send(chat("b-4", "live"));
        await().atMost(WAIT).until(() -> back.of("chat").size() == 4);
        List<Long> seqs = back.of("chat").stream().map(c -> c.get("seq").asLong()).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(seqs.get(0)).isEqualTo(seq + 1);
      }
    }
  }

  @Test
  void aForeignOriginIsRefusedWith403() {
    assertThatThrownBy(
            () ->
                WsClient.connectAsync(freshRoom(), Map.of("Origin", "https://evil.example"), true)
                    .join())
        .isInstanceOf(CompletionException.class)
        .satisfies(
            e -> {
              assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
              assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                  .isEqualTo(403);
            });
    URIs own = new URIs();
    try (WsClient ok = WsClient.connect(freshRoom(), Map.of("Origin", own.origin), true)) {
      ok.send(Map.of("type", "hello", "name", "same-origin"));
      await().atMost(WAIT).until(() -> !ok.of("welcome").isEmpty());
    }
  }

  private static final class URIs {
    final String origin = ItServer.baseUrl();
  }

  @Test
  void anOversizedFrameClosesWith1009() throws Exception {
    try (WsClient c = join(freshRoom(), "big")) {
      c.sendRaw("{\"type\":\"chat\",\"id\":\"x\",\"text\":\"" + "x".repeat(70_000) + "\"}");
      assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    }
  }

  @Test
  void badFramesGetErrorsAndTheConnectionStaysOpen() {
    try (WsClient c = join(freshRoom(), "sloppy")) {
      c.sendRaw("{not json");
      c.send(Map.of("type", "dance"));
      c.send(Map.of("type", "chat", "text", "no id"));
      c.send(Map.of("type", "doc.push", "doc", "notes", "version", 0));
      await().atMost(WAIT).until(() -> c.of("error").size() == 4);
      assertThat(c.of("error"))
          .extracting(e -> e.get("code").asText())
          .containsExactly("bad_json", "unknown_type", "missing_field", "missing_field");
      c.send(Map.of("type", "ping"));
      await().atMost(WAIT).until(() -> !c.of("pong").isEmpty());
      assertThat(c.closeCode).isNotDone();
    }
  }

  @Test
  void badRoomNamesAndUnknownBuildsAreRefusedWith1008() throws Exception {
    for (String room : List.of("Bad_Name", "build-99999999")) {
      WsClient c = WsClient.connect(room);
      assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
      assertThat(c.of("error")).isNotEmpty();
    }
  }

  @Test
  void tooManyMessagesGetErrorsThenClose4429() throws Exception {
    try (WsClient c = join(freshRoom(), "flood")) {
      for (int i = 0; i < 400 && !c.closeCode.isDone(); i++) {
        try {
          c.send(Map.of("type", "ping"));
        } catch (CompletionException e) {
          break; // the server closed the connection while we were still flooding it
        }
      }
      assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4429);
      assertThat(c.of("error")).extracting(e -> e.get("code").asText()).contains("rate_limited");
    }
  }

  @Test
  void theServerPingsAndKeepsAnsweringClientsOpen() {
    try (WsClient c = join(freshRoom(), "idle")) {
      // the IT server pings every second; the JDK client answers with pongs
      await().atMost(WAIT).until(() -> c.pings.get() >= 3);
      assertThat(c.closeCode).isNotDone();
    }
  }

  @Test
  void aBuildStatusChangeReachesItsRoomAndItsSseStreamFromOneHub() {
    Api api = Api.publisher();
    long build = api.createBuild();
    try (WsClient member = join("build-" + build, "watcher");
        SseStream stream = SseStream.open("/api/builds/" + build + "/events")) {
      await().atMost(WAIT).until(() -> !stream.of("build").isEmpty());
      api.postJson("/api/builds/" + build + "/steps", "{\"name\":\"test\",\"status\":\"running\"}");
      api.status(build, "failed");
      await().atMost(WAIT).until(() -> member.hasBuildStatus("failed"));
      await().atMost(WAIT).until(() -> stream.has("status", "failed"));
      assertThat(member.of("build"))
          .extracting(f -> f.get("event").asText())
          .containsSubsequence("step", "status");
    }
  }

  private static Map<String, Object> push(int version, List<Object> changes) {
    List<Map<String, Object>> updates = new ArrayList<>();
    for (Object c : changes) {
      updates.add(Map.of("clientID", "it", "changes", c));
    }
    return Map.of("type", "doc.push", "doc", "notes", "version", version, "updates", updates);
  }

  @Test
  void sharedNotesFollowTheCollabAuthorityProtocol() {
    String room = freshRoom();
    try (WsClient alice = join(room, "alice");
        WsClient bob = join(room, "bob")) {
      alice.send(push(0, List.of(List.of(List.of(0, "hello")))));
      await().atMost(WAIT).until(() -> bob.of("doc.updates").size() == 1);
      await().atMost(WAIT).until(() -> alice.of("doc.updates").size() == 1);
      assertThat(bob.of("doc.updates").get(0).get("version").asInt()).isZero();

      // bob has not seen alice's update yet as far as his push says: stale, rejected
      bob.send(push(0, List.of(List.of(List.of(0, "hi ")))));
      await().atMost(WAIT).until(() -> !bob.of("doc.reject").isEmpty());
      assertThat(bob.of("doc.reject").get(0).get("version").asInt()).isEqualTo(1);
      bob.send(Map.of("type", "doc.pull", "doc", "notes", "version", 0));
      await().atMost(WAIT).until(() -> bob.of("doc.updates").size() == 2);
      bob.send(push(1, List.of(List.of(List.of(0, "hi "), 5))));
      await().atMost(WAIT).until(() -> alice.of("doc.updates").size() == 2);

      // changes that do not fit the document are refused and change nothing
      alice.send(push(2, List.of(List.of(50, List.of(0, "x")))));
      await()
          .atMost(WAIT)
          .until(() -> alice.has("error", e -> "bad_changes".equals(e.get("code").asText())));

      // many more updates: the authority compacts, and a client from version 0 gets the text
      StringBuilder expected = new StringBuilder("hi hello");
      int version = 2;
      for (int batch = 0; batch < 9; batch++) {
        List<Object> changes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          changes.add(List.of(expected.length(), List.of(0, "!")));
          expected.append('!');
        }
        alice.send(push(version, changes));
        version += 50;
        int done = batch + 3;
        await().atMost(WAIT).until(() -> alice.of("doc.updates").size() == done);
      }
      bob.send(Map.of("type", "doc.pull", "doc", "notes", "version", 0));
      await().atMost(WAIT).until(() -> !bob.of("doc.snapshot").isEmpty());
      JsonNode snapshot = bob.of("doc.snapshot").get(0);
      assertThat(snapshot.get("version").asInt()).isEqualTo(version);
      assertThat(snapshot.get("text").asText()).isEqualTo(expected.toString());
    }
    // stored: a new member (and the room reloaded from the store) sees the same document
    try (WsClient carol = join(room, "carol")) {
      JsonNode notes = carol.welcome().get("docs").get("notes");
      assertThat(notes.get("version").asInt()).isEqualTo(452);
      assertThat(notes.get("text").asText()).startsWith("hi hello!!!").hasSize(8 + 450);
    }
  }

  @Test
  void halfAnEmojiSurvivesTheTripThroughTheServer() {
    String room = freshRoom();
    try (WsClient alice = join(room, "alice")) {
      alice.send(push(0, List.of(List.of(List.of(0, "a😀b")))));
      // CodeMirror counts UTF-16 units: this insert lands between the emoji's two halves
      alice.send(push(1, List.of(List.of(2, List.of(0, "Z"), 2))));
      await().atMost(WAIT).until(() -> alice.of("doc.updates").size() == 2);
      try (WsClient bob = join(room, "bob")) {
        assertThat(bob.welcome().get("docs").get("notes").get("text").asText())
            .isEqualTo("a\uD83DZ\uDE00b");
      }
    }
  }

  @Test
  void aPullFromTheFutureIsAnError() {
    try (WsClient c = join(freshRoom(), "time-traveller")) {
      c.send(Map.of("type", "doc.pull", "doc", "notes", "version", 50));
      await().atMost(WAIT).until(() -> !c.of("error").isEmpty());
      assertThat(c.of("error").get(0).get("code").asText()).isEqualTo("bad_request");
      assertThat(c.of("doc.snapshot")).isEmpty();
    }
  }

  @Test
  void aSlowReaderIsClosedWithoutHurtingTheOthers() throws Exception {
    String room = freshRoom();
    String text = "z".repeat(9_000);
    try (WsClient fast = join(room, "fast");
        RawWsClient slow = new RawWsClient(room)) {
      slow.sendText("{\"type\":\"hello\",\"name\":\"slow\"}");
      await().atMost(WAIT).until(() -> fast.of("presence").size() == 1);
      List<WsClient> senders = new ArrayList<>();
      try {
        for (int s = 0; s < 4; s++) {
          senders.add(join(room, "sender" + s));
        }
        // 4 senders x 300 chats of 9 KB: far more than the slow member's 4 MB queue bound
        for (int i = 0; i < 300; i++) {
          for (int s = 0; s < senders.size(); s++) {
            senders.get(s).send(chat("s" + s + "-" + i, text));
          }
          // stay under each sender's 50 messages/s
          await().pollDelay(Duration.ofMillis(21)).until(() -> true);
        }
        int sent = 4 * 300;
        await().atMost(WAIT).until(() -> fast.of("chat").size() >= sent);
        assertThat(fast.of("chat")).hasSize(sent);
        assertThat(fast.closeCode).isNotDone();
        assertThat(slow.readUntilClose()).isEqualTo(1013);
      } finally {
        senders.forEach(WsClient::close);
      }
    }
  }
}
