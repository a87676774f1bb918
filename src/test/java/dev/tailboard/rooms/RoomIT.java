package dev.tailboard.rooms;

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

/** Collaboration rooms (docs/protocol.md) against the real WAR with a real WebSocket client. */
class RoomIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static String freshRoom() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Joins signed in as {@code name}: a member. */
  private static WsClient join(String room, String name) {
    WsClient c = WsClient.connectAs(room, name);
    c.send(Map.of("type", "hello"));
    await().atMost(WAIT).until(() -> !c.of("welcome").isEmpty());
    return c;
  }

  /** Joins with the given handshake headers. */
  private static WsClient joinWith(String room, Map<String, String> headers) {
    WsClient c = WsClient.connect(room, headers, true);
    c.send(Map.of("type", "hello"));
    await().atMost(WAIT).until(() -> !c.of("welcome").isEmpty());
    return c;
  }

  /** Joins anonymously: a watcher (auth.anonymousRooms is false). */
  private static WsClient watch(String room) {
    WsClient c = WsClient.connect(room);
    c.send(Map.of("type", "hello", "name", "anon"));
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
    String id;
    long seq;
    try (WsClient alice = join(room, "alice")) {
      alice.send(chat("a-1", "first"));
      await().atMost(WAIT).until(() -> !alice.of("ack").isEmpty());
      session = alice.welcome().get("resume").asText();
      id = alice.welcome().get("you").get("id").asText();
      seq = alice.of("ack").get(0).get("seq").asLong();
    }
    try (WsClient bob = join(room, "bob")) {
      for (int i = 1; i <= 3; i++) {
        bob.send(chat("b-" + i, "missed " + i));
      }
      await().atMost(WAIT).until(() -> bob.of("ack").size() == 3);
      try (WsClient back = WsClient.connectAs(room, "alice")) {
        back.send(Map.of("type", "hello", "resume", Map.of("session", session, "seq", seq)));
        await().atMost(WAIT).until(() -> back.of("chat").size() >= 3);
        assertThat(back.welcome().get("you").get("id").asText()).isEqualTo(id);
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
  void concurrentHandshakesEachKeepTheirOwnCaller() {
    // Many handshakes in flight at once, each with another subject: were the caller handed from
    // the handshake to the connection through a map the handshakes share, some would swap.
    String room = freshRoom();
    List<String> names = new ArrayList<>();
    List<java.util.concurrent.CompletableFuture<WsClient>> connecting = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String name = "swap-" + i;
      names.add(name);
      connecting.add(WsClient.connectAsync(room, WsClient.as(name), true));
    }
    List<WsClient> clients =
        connecting.stream().map(java.util.concurrent.CompletableFuture::join).toList();
    try {
      clients.forEach(c -> c.send(Map.of("type", "hello")));
      for (int i = 0; i < clients.size(); i++) {
        WsClient c = clients.get(i);
        await().atMost(WAIT).until(() -> !c.of("welcome").isEmpty());
        assertThat(c.welcome().get("you").get("name").asText()).isEqualTo(names.get(i));
      }
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void roomNamesThatAreNoRoomNamesGetAClearRefusal() throws Exception {
    // path tricks and control characters: refused by the container's handshake (4xx) or by the
    // room (error frame, then 1008), never opened as a room
    List<String> names =
        List.of(
            "..%2F..%2Fetc",
            "..",
            "a%00b",
            "a%0Ab",
            "a%1Fb",
            "a%20b",
            "%C3%A9t%C3%A9",
            "x".repeat(65),
            "build-" + "9".repeat(19));
    for (String name : names) {
      WsClient c;
      try {
        c = WsClient.connectAsync(name, WsClient.as("namer"), true).join();
      } catch (CompletionException e) {
        assertThat(e.getCause()).as(name).isInstanceOf(WebSocketHandshakeException.class);
        int status = ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        assertThat(status).as(name).isBetween(400, 499);
        continue;
      }
      try (c) {
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).as(name).isEqualTo(1008);
        assertThat(c.of("error")).as(name).isNotEmpty();
        assertThat(c.of("error").get(0).get("code").asText()).isEqualTo("forbidden");
        assertThat(c.of("welcome")).isEmpty();
      }
    }
  }

  @Test
  void aChatOfMoreThan10000CharactersIsRefusedAndNotStored() {
    try (WsClient c = join(freshRoom(), "verbose")) {
      c.send(chat("long", "y".repeat(10_001)));
      c.send(chat("fits", "y".repeat(10_000)));
      await().atMost(WAIT).until(() -> !c.of("ack").isEmpty());
      assertThat(c.of("error")).extracting(e -> e.get("code").asText()).containsExactly("too_long");
      assertThat(c.of("ack")).extracting(a -> a.get("id").asText()).containsExactly("fits");
      await().atMost(WAIT).until(() -> !c.of("chat").isEmpty());
      assertThat(c.of("chat")).extracting(m -> m.get("id").asText()).containsExactly("fits");
    }
  }

  @Test
  void aTokenThatExpiresWhileItsSocketIsOpenEndsItWith1008() throws Exception {
    Api admin = new Api(ItServer.token("admin"));
    java.net.http.HttpResponse<String> minted =
        admin.postJson(
            "/api/tokens", Map.of("sub", "short-lived", "scope", "read:**", "ttlSeconds", 3));
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    java.time.Instant expiresAt =
        java.time.Instant.parse(Api.json(minted).get("expiresAt").asText());
    String token = Api.json(minted).get("token").asText();
    try (WsClient c = joinWith(freshRoom(), Map.of("Authorization", "Bearer " + token))) {
      assertThat(c.welcome().get("you").get("name").asText()).isEqualTo("short-lived");
      c.send(chat("before", "still valid"));
      await().atMost(WAIT).until(() -> !c.of("ack").isEmpty());
      assertThat(c.closeCode.get(15, TimeUnit.SECONDS)).isEqualTo(1008);
      // at its expiry, not before (JWT expiries are whole seconds, the clock is the same host's)
      assertThat(java.time.Instant.now()).isAfterOrEqualTo(expiresAt);
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
        RawWsClient slow = new RawWsClient(room, "slow")) {
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

  @Test
  void anAnonymousWatcherSeesEverythingLiveButMayNotWrite() {
    String room = freshRoom();
    try (WsClient alice = join(room, "alice");
        WsClient anon = watch(room)) {
      assertThat(anon.welcome().get("you").isNull()).isTrue();
      assertThat(anon.welcome().has("resume")).isFalse();
      assertThat(names(anon.welcome().get("members"))).containsExactly("alice");

      anon.send(chat("w-1", "let me in"));
      anon.send(Map.of("type", "point", "line", 3));
      anon.send(Map.of("type", "cursor", "doc", "notes", "anchor", 0, "head", 0));
      anon.send(push(0, List.of(List.of(List.of(0, "vandal")))));
      await().atMost(WAIT).until(() -> anon.of("error").size() == 4);
      assertThat(anon.of("error"))
          .extracting(e -> e.get("code").asText())
          .containsOnly("unauthorized");
      assertThat(anon.of("error").get(0).get("ref").asText()).isEqualTo("w-1");

      // what the members write reaches the watcher live
      alice.send(chat("a-1", "hello watchers"));
      alice.send(push(0, List.of(List.of(List.of(0, "notes")))));
      alice.send(Map.of("type", "point", "line", 7));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  anon.of("chat").size() == 1
                      && anon.of("doc.updates").size() == 1
                      && anon.of("point").size() == 1);
      try (WsClient bob = join(room, "bob")) {
        await().atMost(WAIT).until(() -> anon.has("presence", p -> isJoined(p, "bob")));
        // nothing of the watcher's was stored or sent: no presence, no chat, no notes
        assertThat(names(bob.welcome().get("members"))).containsExactlyInAnyOrder("alice", "bob");
        assertThat(bob.welcome().get("chat")).hasSize(1);
        assertThat(bob.welcome().get("docs").get("notes").get("text").asText()).isEqualTo("notes");
        assertThat(alice.of("presence"))
            .extracting(p -> p.get("member").get("name").asText())
            .containsExactly("bob");
        assertThat(alice.of("chat")).hasSize(1);
        assertThat(alice.of("point")).isEmpty();
        assertThat(alice.of("cursor")).isEmpty();
        assertThat(alice.of("doc.updates")).hasSize(1);
      }
    }
  }

  @Test
  void aTokenWithoutReadOnTheBuildsProjectWatchesItsRoom() {
    long build = Api.publisher().createBuild();
    WsClient other =
        WsClient.connect(
            "build-" + build,
            Map.of(
                "Authorization",
                "Bearer " + ItServer.token("eve", "read:elsewhere/*", Duration.ofHours(1))),
            true);
    try (other;
        WsClient reader = join("build-" + build, "rita")) {
      other.send(Map.of("type", "hello"));
      await().atMost(WAIT).until(() -> !other.of("welcome").isEmpty());
      assertThat(other.welcome().get("you").isNull()).isTrue();
      other.send(chat("e-1", "hi"));
      reader.send(chat("r-1", "hi"));
      await().atMost(WAIT).until(() -> !other.of("error").isEmpty() && !reader.of("ack").isEmpty());
      assertThat(other.of("error").get(0).get("code").asText()).isEqualTo("unauthorized");
      await().atMost(WAIT).until(() -> other.of("chat").size() == 1);
      assertThat(other.of("chat").get(0).get("from").get("name").asText()).isEqualTo("rita");
    }
  }

  @Test
  void aMembersNameIsItsTokensSubjectNotWhatItSays() {
    String room = freshRoom();
    try (WsClient ana = WsClient.connectAs(room, "ana")) {
      ana.send(Map.of("type", "hello", "name", "the admin"));
      await().atMost(WAIT).until(() -> !ana.of("welcome").isEmpty());
      assertThat(ana.welcome().get("you").get("name").asText()).isEqualTo("ana");
      assertThat(ana.welcome().get("you").has("unverified")).isFalse();
      ana.send(chat("n-1", "who am I"));
      await().atMost(WAIT).until(() -> !ana.of("chat").isEmpty());
      assertThat(ana.of("chat").get(0).get("from").get("name").asText()).isEqualTo("ana");
    }
  }

  @Test
  void resumingNeedsTheSecretNotThePublicIdAndIdsAreRandom() {
    String room = freshRoom();
    List<String> ids = new ArrayList<>();
    String id;
    String secret;
    try (WsClient alice = join(room, "alice");
        WsClient bob = join(room, "bob");
        WsClient carol = join(room, "carol")) {
      for (WsClient c : List.of(alice, bob, carol)) {
        ids.add(c.welcome().get("you").get("id").asText());
      }
      id = ids.get(0);
      secret = alice.welcome().get("resume").asText();
      // the secret goes to its member alone: bob sees alice's id, never her secret
      assertThat(bob.welcome().toString()).contains(id).doesNotContain(secret);
      assertThat(carol.of("presence").toString()).doesNotContain(secret);
    }
    assertThat(ids).doesNotHaveDuplicates().allMatch(i -> i.matches("[A-Za-z0-9_-]{16}"));
    assertThat(secret).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(id);

    // someone who saw alice's id cannot take her place with it, nor can another subject with
    // her secret
    try (WsClient mallory = resume(room, "alice", id)) {
      assertThat(mallory.welcome().get("you").get("id").asText()).isNotEqualTo(id);
    }
    try (WsClient eve = resume(room, "eve", secret)) {
      assertThat(eve.welcome().get("you").get("id").asText()).isNotEqualTo(id);
    }
    try (WsClient back = resume(room, "alice", secret)) {
      assertThat(back.welcome().get("you").get("id").asText()).isEqualTo(id);
      assertThat(back.welcome().get("resume").asText()).isEqualTo(secret);
    }
  }

  private static WsClient resume(String room, String subject, String session) {
    WsClient c = WsClient.connectAs(room, subject);
    c.send(Map.of("type", "hello", "resume", Map.of("session", session, "seq", 0)));
    await().atMost(WAIT).until(() -> !c.of("welcome").isEmpty());
    return c;
  }

  private static boolean isJoined(JsonNode presence, String name) {
    return "joined".equals(presence.get("event").asText())
        && name.equals(presence.get("member").get("name").asText());
  }

  private static List<String> names(JsonNode members) {
    List<String> out = new ArrayList<>();
    members.forEach(m -> out.add(m.get("name").asText()));
    return out;
  }
}
