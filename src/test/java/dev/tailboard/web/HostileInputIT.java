package dev.tailboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.Bystander;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.RawConnection;
import dev.tailboard.testing.SseStream;
import dev.tailboard.testing.WarServer;
import dev.tailboard.testing.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The hostile-input suite: a table of attacks (input → the answer the server must give), each run
 * over real sockets against the real WAR while a well-behaved client streams and chats beside it
 * from another address ({@link Bystander}). After each case the bystander must have got every line
 * and chat, still connected, and the store must hold exactly what it sent. The table, with each
 * case's answer and time, is written to {@code target/hostile-input.md}.
 */
class HostileInputIT {

  /** The attacker's address, as the trusted proxy (127.0.0.1) forwards it. */
  private static final String ATTACKER = "203.0.113.66";

  private static final int CONNECTIONS_PER_CLIENT = 20;
  private static final int ROOMS_PER_CLIENT = 5;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static WarServer server;
  private static String base;
  private static Bystander bystander;
  private static Api publisher;
  private static final List<String> table = new ArrayList<>();

  /** One row: what is sent, and the answer the server must give (as {@link Attack} words it). */
  record Case(String name, String expected, Attack attack) {}

  /** Sends one attack and words the server's answer, e.g. {@code 400 problem+json}. */
  @FunctionalInterface
  interface Attack {
    String answer() throws Exception;
  }

  @BeforeAll
  static void start() throws IOException {
    server =
        WarServer.start(
            Map.of(
                "tailboard.trustedProxies",
                "127.0.0.1",
                "tailboard.limits.connectionsPerClient",
                Integer.toString(CONNECTIONS_PER_CLIENT),
                "tailboard.log.streamIdleSeconds",
                "2",
                "tailboard.rooms.maxPerClient",
                Integer.toString(ROOMS_PER_CLIENT)));
    base = server.baseUrl();
    publisher = new Api(base, ItServer.publisher());
    bystander = new Bystander(base, "192.0.2.10");
  }

  @AfterAll
  static void stop() throws Exception {
    if (bystander != null) {
      bystander.close();
    }
    if (server != null) {
      server.stop();
    }
    List<String> lines = new ArrayList<>();
    lines.add("| # | case | answer | ms |");
    lines.add("|---|---|---|---|");
    lines.addAll(table);
    Files.write(Path.of("target", "hostile-input.md"), lines);
  }

  @TestFactory
  Stream<DynamicTest> everyAttackGetsItsAnswerAndHarmsNoOne() {
    List<Case> cases = cases();
    return cases.stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      long t0 = System.nanoTime();
                      String answer = c.attack().answer();
                      long ms = (System.nanoTime() - t0) / 1_000_000;
                      table.add(
                          "| %d | %s | %s | %d |"
                              .formatted(
                                  table.size() + 1,
                                  c.name(),
                                  visible(answer).replace("|", "\\|"),
                                  ms));
                      assertThat(answer).as(c.name()).isEqualTo(c.expected());
                      bystander.check("calm-" + table.size());
                    }));
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    long target = publisher.createBuild("target");
    String log = "/api/builds/" + target + "/log";
    // JSON bodies
    cases.add(
        new Case("malformed JSON", "400 problem+json", () -> post("/api/builds", "{\"project\":")));
    cases.add(
        new Case(
            "JSON nested 100,000 deep",
            "400 problem+json",
            () -> post("/api/builds", "[".repeat(100_000) + "]".repeat(100_000))));
    cases.add(
        new Case(
            "JSON body past log.maxBodyBytes (17 MB)",
            "413 problem+json",
            () -> post(log, "{\"lines\":[\"" + "x".repeat(17 << 20) + "\"]}")));
    cases.add(
        new Case(
            "invalid UTF-8 in a JSON body",
            "400 problem+json",
            () ->
                answer(
                    send(
                        publisherRequest("/api/builds")
                            .header("Content-Type", "application/json")
                            .POST(
                                HttpRequest.BodyPublishers.ofByteArray(
                                    bytes("{\"project\":\"a", 0xff, 0xfe, "\"}")))))));
    // log lines
    cases.add(
        new Case(
            "NUL and invalid UTF-8 bytes in a streamed log line",
            "200 json, stored as a\u0000b\uFFFDc",
            () -> {
              String answer =
                  answer(
                      send(
                          publisherRequest(log)
                              .header("Content-Type", "text/plain")
                              .POST(
                                  HttpRequest.BodyPublishers.ofByteArray(
                                      bytes("a\0b", 0xc3, "c\n")))));
              return answer + ", stored as " + lastLine(log);
            }));
    cases.add(
        new Case(
            "a 10 MB line",
            "200 json, stored as 160 lines of at most 65536 bytes",
            () -> {
              long before = lineCount(target);
              String answer = answer(postText(log, "y".repeat(10 << 20) + "\n"));
              long pieces = lineCount(target) - before;
              String raw = publisher.get(log + "?from=" + (before + 1)).body();
              boolean bounded = raw.lines().allMatch(l -> l.length() <= 65536);
              return answer
                  + ", stored as "
                  + pieces
                  + " lines of "
                  + (bounded ? "at most 65536 bytes" : "more");
            }));
    String html = "<script>alert(1)</script><img src=x onerror=alert(2)>\u0007\u001b[31mred";
    cases.add(
        new Case(
            "HTML and control characters in a log line",
            "200 json, raw log text/plain nosniff verbatim",
            () -> {
              String answer = post(log, Api.write(Map.of("lines", List.of(html))));
              HttpResponse<String> raw = publisher.get(log + "?from=" + lineCount(target));
              boolean verbatim = raw.body().equals(html + "\n");
              return answer
                  + ", raw log "
                  + raw.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", "")
                  + " "
                  + raw.headers().firstValue("X-Content-Type-Options").orElse("sniffable")
                  + " "
                  + (verbatim ? "verbatim" : "changed: " + raw.body());
            }));
    cases.add(
        new Case(
            "HTML in a build title",
            "201 json, title verbatim",
            () -> {
              HttpResponse<String> r =
                  publisher.postJson("/api/builds", Map.of("project", "calm-html", "title", html));
              return answer(r)
                  + (Api.json(r).path("title").asText().equals(html)
                      ? ", title verbatim"
                      : ", changed");
            }));
    cases.add(
        new Case(
            "NUL in a build title",
            "201 json, title a\uFFFDb",
            () -> {
              HttpResponse<String> r =
                  publisher.postJson("/api/builds", Map.of("project", "calm-nul", "title", "a\0b"));
              return answer(r) + ", title " + Api.json(r).path("title").asText();
            }));
    cases.add(
        new Case(
            "a title of 201 characters",
            "400 problem+json",
            () ->
                post(
                    "/api/builds",
                    Api.write(Map.of("project", "calm", "title", "t".repeat(201))))));
    cases.add(
        new Case(
            "a step name of 201 characters",
            "400 problem+json",
            () ->
                post(
                    "/api/builds/" + target + "/steps",
                    Api.write(Map.of("name", "s".repeat(201), "status", "running")))));
    // names
    for (String project :
        List.of(
            "../etc",
            "a/../../b",
            "a%00b",
            "a\u0000b",
            "саlm",
            "x' OR '1'='1",
            "a;DROP TABLE builds")) {
      cases.add(
          new Case(
              "project name " + printable(project),
              "400 problem+json",
              () -> post("/api/builds", Api.write(Map.of("project", project)))));
    }
    cases.add(
        new Case(
            "SQL in a log search",
            "200 json, 0 matches",
            () -> {
              HttpResponse<String> r = publisher.get(log + "/search?q=%27%20OR%201%3D1%20--");
              return answer(r) + ", " + Api.json(r).path("matches").size() + " matches";
            }));
    // the container refuses encoded separators and NUL in a path before the application sees it
    for (String room : List.of("..%2F..%2Fetc", "a%00b")) {
      cases.add(
          new Case(
              "room name " + room,
              "handshake 400",
              () -> roomRefusal(room, WsClient.as("mallory"))));
    }
    cases.add(
        new Case("room name ..", "handshake 404", () -> roomRefusal("..", WsClient.as("mallory"))));
    for (String room :
        List.of("build-%D9%A1", "x%27%3BDROP%20TABLE%20rooms", "%3Cscript%3E", "a".repeat(65))) {
      cases.add(
          new Case(
              "room name " + room,
              "error forbidden, close 1008",
              () -> roomRefusal(room, WsClient.as("mallory"))));
    }
    // Last-Event-ID
    String events = "/api/builds/" + target + "/events";
    for (String id : List.of("abc", "-5", "1.2.3.4", "99999999999999999999999", "1e3")) {
      cases.add(
          new Case(
              "Last-Event-ID " + id,
              "200 event-stream, first event: reset",
              () -> sse(events, Map.of("Last-Event-ID", id))));
    }
    // tokens
    String secretOfAnother = "another-secret-0123456789abcdef-0123456789";
    cases.add(
        new Case(
            "token signed with another key",
            "401 problem+json",
            () -> postAs(publishing(Instant.now().plusSeconds(600), secretOfAnother))));
    cases.add(
        new Case(
            "expired token",
            "401 problem+json",
            () -> postAs(publishing(Instant.now().minusSeconds(60), ItServer.secret()))));
    cases.add(new Case("alg:none token", "401 problem+json", () -> postAs(unsigned())));
    cases.add(
        new Case(
            "token with read scope publishing",
            "403 problem+json",
            () -> postAs(ItServer.token("mallory", "read:**", Duration.ofMinutes(5)))));
    cases.add(
        new Case(
            "alg:none token on a room",
            "error forbidden, close 1008",
            () ->
                roomRefusal(
                    "build-" + bystander.build(),
                    Map.of("Authorization", "Bearer " + unsigned()))));
    // origins
    for (String origin : List.of("https://evil.example", "null")) {
      cases.add(
          new Case(
              "Origin " + origin + " on a room",
              "handshake 403",
              () -> handshake(Map.of("Origin", origin))));
      cases.add(
          new Case(
              "Origin " + origin + " posting with a token",
              "403 problem+json",
              () ->
                  answer(
                      send(
                          publisherRequest("/api/builds")
                              .header("Origin", origin)
                              .header("Content-Type", "application/json")
                              .POST(
                                  HttpRequest.BodyPublishers.ofString(
                                      "{\"project\":\"evil\"}"))))));
    }
    // floods
    cases.add(
        new Case(
            "room sockets past limits.connectionsPerClient",
            CONNECTIONS_PER_CLIENT + " open, then error too_many_connections, close 4430",
            HostileInputIT::socketFlood));
    cases.add(
        new Case(
            "rooms past rooms.maxPerClient",
            ROOMS_PER_CLIENT + " open, then error too_many_rooms, close 4431",
            HostileInputIT::roomFlood));
    cases.add(
        new Case(
            "a room socket whose token expires",
            "welcome, then close 1008 at expiry",
            HostileInputIT::expiringRoomToken));
    cases.add(
        new Case(
            "SSE streams past limits.connectionsPerClient",
            CONNECTIONS_PER_CLIENT + " × 200, then 429 problem+json, given back on close",
            HostileInputIT::streamFlood));
    cases.add(
        new Case(
            "chat past ws.maxMessagesPerSecond",
            "error rate_limited, close 4429",
            HostileInputIT::chatFlood));
    cases.add(
        new Case(
            "room frame past ws.maxMessageBytes",
            "close 1009",
            () -> {
              WsClient ws = member();
              try {
                ws.sendRaw(
                    "{\"type\":\"chat\",\"id\":\"big\",\"text\":\"" + "z".repeat(100_000) + "\"}");
              } catch (java.util.concurrent.CompletionException e) {
                // the server may close while the frame is still being written: the close code
                // says why
              }
              return "close " + ws.closeCode.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }));
    cases.add(
        new Case(
            "invalid UTF-8 in a room frame",
            "close 1007",
            () -> {
              try (var raw =
                  new dev.tailboard.testing.RawWsClient(
                      base, "build-" + bystander.build(), "mallory")) {
                raw.sendText(
                    bytes("{\"type\":\"chat\",\"id\":\"x\",\"text\":\"", 0xc3, 0x28, "\"}"));
                return "close " + raw.readUntilClose();
              }
            }));
    cases.add(
        new Case(
            "HTML and control characters in chat and a name",
            "acked and relayed verbatim",
            HostileInputIT::htmlChat));
    cases.add(
        new Case(
            "room frame that is not JSON", "error bad_json, still open", () -> roomError("{{{")));
    cases.add(
        new Case(
            "room frame nested 100,000 deep",
            "error bad_json, still open",
            () -> roomError("[".repeat(30_000))));
    cases.add(
        new Case(
            "unknown room message type",
            "error unknown_type, still open",
            () -> roomError("{\"type\":\"rm -rf\"}")));
    cases.add(
        new Case(
            "chat of 10,001 characters",
            "error too_long, still open",
            () ->
                roomError(
                    Api.write(Map.of("type", "chat", "id", "long", "text", "c".repeat(10_001))))));
    cases.add(
        new Case(
            "a NUL inserted into the notes",
            "error bad_changes, still open",
            () -> {
              WsClient look = member();
              JsonNode notes = look.welcome().path("docs").path("notes");
              look.close();
              int length = notes.path("text").asText().length();
              List<Object> changes = List.of(length, List.of(0, "a\0b"));
              return roomError(
                  Api.write(WsClient.notesPush("mallory", notes.path("version").asInt(), changes)));
            }));
    cases.add(
        new Case(
            "notes grown past rooms.maxDocChars",
            "error too_large, notes unchanged",
            HostileInputIT::notesPastCap));
    // idempotency
    cases.add(
        new Case(
            "Idempotency-Key reused with another body",
            "201 json, then 422 problem+json",
            () -> {
              String key = "k-" + System.nanoTime();
              String first = answer(send(idempotent(key, "{\"project\":\"calm-idem\"}")));
              String other = "{\"project\":\"calm-idem\",\"title\":\"other\"}";
              return first + ", then " + answer(send(idempotent(key, other)));
            }));
    cases.add(
        new Case(
            "?seq reused with another body",
            "200 json, then 422 problem+json",
            () -> {
              String first = post(log + "?seq=7", "{\"lines\":[\"seven\"]}");
              return first + ", then " + post(log + "?seq=7", "{\"lines\":[\"other\"]}");
            }));
    // slow and broken requests
    cases.add(
        new Case(
            "50 half-open requests (slowloris)",
            "others served while 50 held",
            HostileInputIT::slowloris));
    cases.add(
        new Case(
            "streamed log body that stops sending",
            "408 problem+json, complete line kept",
            HostileInputIT::stalledUpload));
    return cases;
  }

  // ---- the attacks ----

  /**
   * Opens as many SSE streams as the attacker's address may, then one more; then closes them all
   * and waits until the server counts them as gone (it notices a closed stream at its next write: a
   * heartbeat at the latest), so the address may stream again.
   */
  private static String streamFlood() throws Exception {
    long before = openStreams();
    List<SseStream> open = new ArrayList<>();
    int ok = 0;
    String past;
    try {
      for (int i = 0; i < CONNECTIONS_PER_CLIENT; i++) {
        SseStream s = SseStream.openAt(base + "/api/events", Map.of("X-Forwarded-For", ATTACKER));
        open.add(s);
        ok += s.status() == 200 ? 1 : 0;
      }
      HttpRequest oneMore =
          HttpRequest.newBuilder(URI.create(base + "/api/events"))
              .header("X-Forwarded-For", ATTACKER)
              .header("Accept", "text/event-stream")
              .build();
      past = answer(HTTP.send(oneMore, HttpResponse.BodyHandlers.ofString()));
    } finally {
      open.forEach(SseStream::close);
    }
    await("the attacker's closed streams are given back")
        .atMost(Duration.ofSeconds(10))
        .until(() -> openStreams() == before);
    return ok + " × 200, then " + past + ", given back on close";
  }

  /** The server's open streaming responses, from its metrics. */
  private static long openStreams() {
    String metrics = publisher.get("/api/metrics").body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("tailboard_output_connections"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  private static String socketFlood() throws Exception {
    return flood(i -> "build-" + bystander.build(), CONNECTIONS_PER_CLIENT);
  }

  private static String roomFlood() throws Exception {
    return flood(i -> "mallory-" + i, ROOMS_PER_CLIENT);
  }

  /** Opens {@code allowed} room sockets from the attacker's address, then one more. */
  private static String flood(java.util.function.IntFunction<String> room, int allowed)
      throws Exception {
    Map<String, String> headers = new HashMap<>(WsClient.as("mallory"));
    headers.put("X-Forwarded-For", ATTACKER);
    List<WsClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < allowed; i++) {
        WsClient ws = WsClient.connectUrl(roomUrl(room.apply(i)), headers);
        ws.send(Map.of("type", "hello"));
        open.add(ws);
      }
      for (WsClient ws : open) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !ws.of("welcome").isEmpty());
      }
      WsClient past = WsClient.connectUrl(roomUrl(room.apply(allowed)), headers);
      int code = past.closeCode.get(10, java.util.concurrent.TimeUnit.SECONDS);
      String error =
          past.of("error").isEmpty()
              ? "no error"
              : "error " + past.of("error").get(0).path("code").asText();
      long stillOpen = open.stream().filter(ws -> !ws.closeCode.isDone()).count();
      return stillOpen + " open, then " + error + ", close " + code;
    } finally {
      open.forEach(WsClient::close);
    }
  }

  private static String expiringRoomToken() throws Exception {
    Map<String, String> headers =
        Map.of(
            "Authorization",
            "Bearer " + ItServer.token("mallory", "read:**", Duration.ofSeconds(2)),
            "X-Forwarded-For",
            ATTACKER);
    WsClient ws = WsClient.connectUrl(roomUrl("build-" + bystander.build()), headers);
    ws.send(Map.of("type", "hello"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !ws.of("welcome").isEmpty());
    int code = ws.closeCode.get(10, java.util.concurrent.TimeUnit.SECONDS);
    return "welcome, then close " + code + " at expiry";
  }

  private static String chatFlood() throws Exception {
    WsClient ws = member();
    try {
      for (int i = 0; i < 200 && !ws.closeCode.isDone(); i++) {
        ws.send(Map.of("type", "chat", "id", "flood-" + i, "text", "flood"));
      }
    } catch (CompletionException closedMeanwhile) {
      // the server closed the socket while the flood was still sending: the answer is below
    }
    int code = ws.closeCode.get(10, java.util.concurrent.TimeUnit.SECONDS);
    boolean told = ws.has("error", f -> "rate_limited".equals(f.path("code").asText()));
    return (told ? "error rate_limited, " : "") + "close " + code;
  }

  private static String notesPastCap() {
    WsClient ws = member();
    try {
      int version = ws.welcome().path("docs").path("notes").path("version").asInt();
      int length = ws.welcome().path("docs").path("notes").path("text").asText().length();
      // one insert of 60,000 characters per push: within a frame, past the cap after five
      for (int i = 0; i < 6 && !ws.has("error", f -> true); i++) {
        ws.send(
            WsClient.notesPush(
                "mallory", version, List.of(length, List.of(0, "n".repeat(60_000)))));
        int want = version + 1;
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    ws.has("error", f -> true)
                        || ws.has("doc.updates", f -> f.path("version").asInt() == want - 1));
        if (!ws.has("error", f -> true)) {
          version++;
          length += 60_000;
        }
      }
      JsonNode error = ws.of("error").isEmpty() ? null : ws.of("error").get(0);
      WsClient fresh = member();
      int stored = fresh.welcome().path("docs").path("notes").path("text").asText().length();
      fresh.close();
      return (error == null ? "no error" : "error " + error.path("code").asText())
          + (stored == length ? ", notes unchanged" : ", notes now " + stored);
    } finally {
      ws.close();
    }
  }

  private static String htmlChat() {
    String html = "<img src=x onerror=alert(1)>\u0007\u001b[31m";
    Map<String, String> headers = new HashMap<>(WsClient.as("<b>mallory</b>"));
    headers.put("X-Forwarded-For", ATTACKER);
    WsClient ws = WsClient.connectUrl(roomUrl("build-" + bystander.build()), headers);
    try {
      ws.send(Map.of("type", "hello"));
      await().atMost(Duration.ofSeconds(10)).until(() -> !ws.of("welcome").isEmpty());
      ws.send(Map.of("type", "chat", "id", "html", "text", html));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ws.has("ack", f -> "html".equals(f.path("id").asText())));
      JsonNode chat =
          ws.of("chat").stream()
              .filter(f -> "html".equals(f.path("id").asText()))
              .findFirst()
              .orElseThrow();
      boolean verbatim =
          html.equals(chat.path("text").asText())
              && "<b>mallory</b>".equals(chat.path("from").path("name").asText());
      return "acked and relayed " + (verbatim ? "verbatim" : "changed: " + chat);
    } finally {
      ws.close();
    }
  }

  private static String slowloris() throws Exception {
    List<RawConnection> held = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        RawConnection r = new RawConnection(base);
        r.send("GET /api/health HTTP/1.1\r\nHost: " + r.host() + "\r\nX-Slow: ");
        held.add(r);
      }
      bystander.check("calm-during-slowloris-" + System.nanoTime());
      HttpResponse<String> health = publisher.get("/api/health");
      return health.statusCode() == 200
          ? "others served while 50 held"
          : "health " + health.statusCode();
    } finally {
      for (RawConnection r : held) {
        r.close();
      }
    }
  }

  private static String stalledUpload() throws Exception {
    long build = publisher.createBuild("calm-stall");
    try (RawConnection r = new RawConnection(base)) {
      r.send(
          "POST /api/builds/"
              + build
              + "/log HTTP/1.1\r\nHost: "
              + r.host()
              + "\r\nAuthorization: Bearer "
              + ItServer.publisher()
              + "\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "a\r\nkept line\n\r\n"
              + "5\r\nhalf \r\n");
      var a = r.read(20);
      String kept = publisher.get("/api/builds/" + build + "/log").body();
      return a.status()
          + " "
          + kind(a.header("Content-Type"), a.body())
          + (kept.equals("kept line\n") ? ", complete line kept" : ", stored: " + kept);
    }
  }

  // ---- helpers ----

  private static WsClient member() {
    Map<String, String> headers = new HashMap<>(WsClient.as("mallory"));
    headers.put("X-Forwarded-For", ATTACKER);
    WsClient ws = WsClient.connectUrl(roomUrl("build-" + bystander.build()), headers);
    ws.send(Map.of("type", "hello"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !ws.of("welcome").isEmpty() || ws.closeCode.isDone());
    assertThat(ws.of("welcome")).as("the attacker's member was let in: %s", ws.frames).isNotEmpty();
    return ws;
  }

  private static String roomUrl(String room) {
    return base.replaceFirst("^http", "ws") + "/ws/rooms/" + room;
  }

  private static String roomError(String frame) {
    WsClient ws = member();
    try {
      ws.sendRaw(frame);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !ws.of("error").isEmpty() || ws.closeCode.isDone());
      if (ws.closeCode.isDone()) {
        return "close " + ws.closeCode.join();
      }
      ws.send(Map.of("type", "ping"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !ws.of("pong").isEmpty() || ws.closeCode.isDone());
      return "error "
          + ws.of("error").get(0).path("code").asText()
          + (ws.closeCode.isDone() ? ", closed" : ", still open");
    } finally {
      ws.close();
    }
  }

  private static String roomRefusal(String room, Map<String, String> headers) {
    try {
      WsClient ws = WsClient.connectUrl(roomUrl(room), headers);
      int code = ws.closeCode.get(10, java.util.concurrent.TimeUnit.SECONDS);
      String error =
          ws.of("error").isEmpty()
              ? "no error"
              : "error " + ws.of("error").get(0).path("code").asText();
      return error + ", close " + code;
    } catch (CompletionException e) {
      return handshakeFailure(e);
    } catch (Exception e) {
      return "failed: " + e;
    }
  }

  private static String handshake(Map<String, String> headers) {
    try {
      WsClient ws = WsClient.connectUrl(roomUrl("build-" + bystander.build()), headers);
      ws.close();
      return "handshake accepted";
    } catch (CompletionException e) {
      return handshakeFailure(e);
    }
  }

  private static String handshakeFailure(CompletionException e) {
    if (e.getCause() instanceof WebSocketHandshakeException h) {
      return "handshake " + h.getResponse().statusCode();
    }
    return "failed: " + e.getCause();
  }

  private static String sse(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream");
    headers.forEach(b::header);
    HttpResponse<java.io.InputStream> r =
        HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (var in = r.body()) {
      String type = r.headers().firstValue("Content-Type").orElse("");
      if (type.startsWith("text/event-stream")) {
        var lines =
            new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("event:")) {
            return r.statusCode() + " event-stream, first " + line;
          }
        }
        return r.statusCode() + " event-stream, ended";
      }
      return r.statusCode()
          + " "
          + kind(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static HttpRequest.Builder publisherRequest(String path) {
    return publisher.request(path).header("X-Forwarded-For", ATTACKER);
  }

  private static HttpRequest idempotent(String key, String body) {
    return publisherRequest("/api/builds")
        .header("Idempotency-Key", key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    return send(request.build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    return publisher.send(request);
  }

  private static String post(String path, String json) {
    return answer(
        send(
            publisherRequest(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))));
  }

  private static HttpResponse<String> postText(String path, String text) {
    return send(
        publisherRequest(path)
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  private static String postAs(String token) {
    return answer(
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/builds"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"project\":\"calm-token\"}"))));
  }

  /** The answer in words: status and the kind of body, e.g. {@code 400 problem+json}. */
  private static String answer(HttpResponse<String> r) {
    return r.statusCode() + " " + kind(r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  private static String kind(String contentType, String body) {
    if (body.contains("\tat ") || body.contains("Exception")) {
      System.out.println("answer with a stack trace: " + body);
      return "with a stack trace";
    }
    String type = contentType.toLowerCase(java.util.Locale.ROOT);
    if (type.startsWith("application/problem+json")) {
      return "problem+json";
    }
    if (type.startsWith("application/json")) {
      return "json";
    }
    return type.isEmpty() ? "no body type" : type.replaceAll(";.*", "");
  }

  private static long lineCount(long build) {
    return publisher.build(build).path("lineCount").asLong();
  }

  private static String lastLine(String log) {
    List<String> lines = publisher.get(log).body().lines().toList();
    return lines.get(lines.size() - 1);
  }

  /**
   * A token that may publish everywhere, expiring at {@code expiry}, signed with {@code secret}.
   */
  private static String publishing(Instant expiry, String secret) {
    return ItServer.sign("mallory", "publish:**", expiry, secret);
  }

  private static String unsigned() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims =
        b64.encodeToString(
            ("{\"sub\":\"mallory\",\"scope\":\"publish:** read:**\",\"exp\":"
                    + (Instant.now().getEpochSecond() + 600)
                    + "}")
                .getBytes(StandardCharsets.UTF_8));
    return header + "." + claims + ".";
  }

  /** Bytes from strings (UTF-8) and single byte values, in order. */
  private static byte[] bytes(Object... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof Integer b) {
        out.write(b);
      } else {
        out.writeBytes(p.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /** {@code s} with its control characters written as escapes, for the table. */
  private static String visible(String s) {
    StringBuilder out = new StringBuilder();
    s.chars()
        .forEach(
            c -> out.append(c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return out.toString();
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.append((char) c);
              }
            });
    return out.toString();
  }
}
