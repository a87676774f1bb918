package dev.tailboard.builds;

import static dev.tailboard.testing.Api.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.SseEvent;
import dev.tailboard.testing.SseStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The build event stream (docs/protocol.md) against the real WAR over real sockets. */
class BuildStreamIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ExecutorService background = Executors.newCachedThreadPool();
  private final Api api = Api.publisher();

  @AfterAll
  static void shutdown() {
    background.shutdownNow();
  }

  private static String events(long build) {
    return "/api/builds/" + build + "/events";
  }

  @Test
  void streamOpensWithHeadersAndJitteredRetryBeforeAnyEvent() {
    long build = api.createBuild();
    try (SseStream s = SseStream.open(events(build))) {
      assertThat(s.status()).isEqualTo(200);
      assertThat(s.response().headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
      assertThat(s.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
      assertThat(s.response().headers().firstValue("X-Accel-Buffering")).hasValue("no");
      await().atMost(WAIT).until(() -> !s.of("build").isEmpty());
      String first = s.rawLines.get(0);
      assertThat(first).startsWith("retry: ");
      long retry = Long.parseLong(first.substring("retry: ".length()));
      assertThat(retry).isBetween(1500L, 4500L);
      SseEvent summary = s.of("build").get(0);
      // EPOCH.ID: the database's epoch, then the build's own event number
      assertThat(summary.id()).matches("[0-9a-z]{6}\\.1");
      assertThat(summary.json().get("id").asLong()).isEqualTo(build);
    }
  }

  @Test
  void aFreshStreamWithTailStartsWithTheSummaryAndTheLastLinesThenResumesAsUsual() {
    long build = api.createBuild();
    for (int i = 0; i < 3; i++) {
      api.append(build, lines("t", 1 + i * 100, 100));
    }
    api.status(build, "passed");

    try (SseStream s = SseStream.open(events(build) + "?tail=150")) {
      await().atMost(WAIT).until(() -> s.ended.get());
      assertThat(s.events.get(0).event()).isEqualTo("build");
      assertThat(s.events.get(0).id()).isNull(); // no id: it does not move Last-Event-ID
      assertThat(s.events.get(0).json().get("lineCount").asLong()).isEqualTo(300);
      // From the chunk holding line 151 (lines 101-200) to the end, each line once.
      assertThat(s.logLines()).isEqualTo(lines("t", 101, 200));
      assertThat(s.has("status", "passed")).isTrue();
      String last = s.lastId();
      // A reconnect resumes by its Last-Event-ID, whatever tail says: nothing more to send.
      try (SseStream again =
          SseStream.open(events(build) + "?tail=150", Map.of("Last-Event-ID", last))) {
        assertThat(again.status()).isEqualTo(204);
      }
    }
    // A tail longer than the log is the whole log, from the build's first event.
    try (SseStream s = SseStream.open(events(build) + "?tail=1000")) {
      await().atMost(WAIT).until(() -> s.ended.get());
      assertThat(s.events.get(0).id()).matches("[0-9a-z]{6}\\.1");
      assertThat(s.logLines()).isEqualTo(lines("t", 1, 300));
    }
    assertThat(api.get(events(build) + "?tail=0").statusCode()).isEqualTo(400);
  }

  @Test
  void oneSharedConnectionCarriesSeveralBuildsAndTheFeedAndResumesThemAll() {
    long a = api.createBuild();
    long b = api.createBuild();
    api.append(a, lines("a", 1, 5));
    for (int i = 0; i < 3; i++) {
      api.append(b, lines("b", 1 + i * 100, 100));
    }
    String path = "/api/streams?s=x." + a + "&s=y." + b + "~150&feed=f";
    String resumeFrom;
    try (SseStream s = SseStream.open(path)) {
      await().atMost(WAIT).until(() -> shared(s, "x", "log").size() == 5);
      await().atMost(WAIT).until(() -> shared(s, "y", "log").size() == 200);
      assertThat(shared(s, "x", "log")).isEqualTo(lines("a", 1, 5));
      // y asked for its tail: its summary first (no id), then the chunks holding the last 150.
      SseEvent firstOfY =
          s.events.stream().filter(e -> e.json().get("key").asText().equals("y")).findFirst().get();
      assertThat(firstOfY.event()).isEqualTo("build");
      assertThat(firstOfY.id()).isNull();
      assertThat(shared(s, "y", "log")).isEqualTo(lines("b", 101, 200));

      // Live: each build's events under its key; a new build on the feed.
      api.append(a, lines("a", 6, 1));
      api.status(a, "passed"); // a ends; the connection stays for y and the feed
      long c = api.createBuild();
      await().atMost(WAIT).until(() -> shared(s, "x", "log").size() == 6);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  s.of("build").stream()
                      .anyMatch(
                          e ->
                              e.json().get("key").asText().equals("f")
                                  && e.json().get("data").get("id").asLong() == c));
      assertThat(s.ended.get()).isFalse();
      // Every id names every stream's position.
      resumeFrom = s.lastId();
      assertThat(resumeFrom).contains("x." + a + ":").contains("y." + b + ":");
    }
    api.append(b, lines("b", 301, 2));
    // A reconnect with Last-Event-ID gets only what it missed, for each stream.
    try (SseStream s = SseStream.open(path, Map.of("Last-Event-ID", resumeFrom))) {
      await().atMost(WAIT).until(() -> shared(s, "y", "log").size() == 2);
      assertThat(shared(s, "y", "log")).isEqualTo(lines("b", 301, 2));
      assertThat(shared(s, "x", "log")).isEmpty();
      assertThat(s.events.stream().filter(e -> e.event().equals("build"))).isEmpty();
    }
    assertThat(api.get("/api/streams?s=x." + a + "&s=x." + b).statusCode()).isEqualTo(400);
    assertThat(api.get("/api/streams?s=bad").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/streams").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/streams?s=x.999999999").statusCode()).isEqualTo(404);
    api.status(b, "passed");
  }

  /** The log lines (or other events' data) of one stream of a shared connection. */
  private static List<String> shared(SseStream s, String key, String type) {
    List<String> out = new ArrayList<>();
    for (SseEvent e : s.of(type)) {
      JsonNode wrapped = e.json();
      if (wrapped.get("key").asText().equals(key)) {
        wrapped.get("data").path("lines").forEach(n -> out.add(n.asText()));
      }
    }
    return out;
  }

  @Test
  void retryIsJitteredPerConnection() {
    long build = api.createBuild();
    List<String> retries = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      try (SseStream s = SseStream.open(events(build))) {
        await().atMost(WAIT).until(() -> !s.rawLines.isEmpty());
        retries.add(s.rawLines.get(0));
      }
    }
    assertThat(retries.stream().distinct().count()).isGreaterThan(1);
  }

  @Test
  void liveEventsCarryConsecutiveIdsAndEveryLine() {
    long build = api.createBuild();
    try (SseStream s = SseStream.open(events(build))) {
      await().atMost(WAIT).until(() -> !s.of("build").isEmpty());
      api.append(build, lines("a", 1, 3));
      api.postJson(
          "/api/builds/" + build + "/steps", "{\"name\":\"compile\",\"status\":\"running\"}");
      api.append(build, lines("a", 4, 2));
      await().atMost(WAIT).until(() -> s.logLines().size() == 5);
      assertThat(s.logLines()).isEqualTo(lines("a", 1, 5));
      List<Long> ids =
          s.events.stream().filter(e -> e.id() != null).map(SseEvent::numericId).toList();
      assertThat(ids).startsWith(1L, 2L, 3L, 4L, 5L);
      assertThat(s.of("step").get(0).json().get("line").asLong()).isEqualTo(4);
      assertThat(s.of("log").get(0).json().get("first").asLong()).isEqualTo(1);
    }
  }

  @Test
  void subscriberCutMidStreamResumesWithEveryLineExactlyOnce() throws Exception {
    long build = api.createBuild();
    CompletableFuture<Void> publishing =
        CompletableFuture.runAsync(
            () -> {
              for (int chunk = 0; chunk < 200; chunk++) {
                api.append(build, lines("r", chunk * 10 + 1, 10));
              }
            },
            background);
    List<String> received = new ArrayList<>();
    String lastId;
    try (SseStream first = SseStream.open(events(build))) {
      await().atMost(WAIT).until(() -> first.logLines().size() >= 300);
      first.close();
      await().atMost(WAIT).until(first.ended::get);
      received.addAll(first.logLines());
      lastId = first.lastId();
    }
    try (SseStream resumed = SseStream.open(events(build), Map.of("Last-Event-ID", lastId))) {
      publishing.get(60, TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> received.size() + resumed.logLines().size() >= 2000);
      assertThat(resumed.of("reset")).isEmpty();
      received.addAll(resumed.logLines());
    }
    assertThat(received).isEqualTo(lines("r", 1, 2000));
  }

  @Test
  void lastEventIdQueryParameterResumesToo() {
    long build = api.createBuild();
    long afterFirst = api.append(build, lines("q", 1, 5)).get("lastEventId").asLong();
    api.append(build, lines("q", 6, 5));
    try (SseStream s = SseStream.open(events(build) + "?lastEventId=" + afterFirst)) {
      await().atMost(WAIT).until(() -> s.logLines().size() == 5);
      assertThat(s.logLines()).isEqualTo(lines("q", 6, 5));
      assertThat(s.of("build")).isEmpty();
    }
  }

  @Test
  void unknownOrFutureLastEventIdGetsResetAndFullReplay() {
    long build = api.createBuild();
    api.append(build, lines("x", 1, 4));
    for (String bad : List.of("not-a-number", "999999")) {
      try (SseStream s = SseStream.open(events(build), Map.of("Last-Event-ID", bad))) {
        await().atMost(WAIT).until(() -> s.logLines().size() == 4);
        List<String> types =
            s.events.stream().map(SseEvent::event).filter(t -> !"message".equals(t)).toList();
        assertThat(types).startsWith("reset", "build");
        assertThat(s.logLines()).isEqualTo(lines("x", 1, 4));
      }
    }
  }

  @Test
  void terminalStatusClosesTheStreamAndAReconnectGets204() {
    long build = api.createBuild();
    api.append(build, lines("t", 1, 2));
    try (SseStream s = SseStream.open(events(build))) {
      await().atMost(WAIT).until(() -> s.logLines().size() == 2);
      api.status(build, "failed");
      await().atMost(WAIT).until(s.ended::get);
      assertThat(s.of("status").get(s.of("status").size() - 1).json().get("status").asText())
          .isEqualTo("failed");
      String last = s.lastId();
      try (SseStream again = SseStream.open(events(build), Map.of("Last-Event-ID", last))) {
        assertThat(again.status()).isEqualTo(204);
      }
    }
    // a client that missed the end still gets it, then the stream closes
    try (SseStream late = SseStream.open(events(build), Map.of("Last-Event-ID", "2"))) {
      await().atMost(WAIT).until(late.ended::get);
      assertThat(late.logLines()).isEqualTo(lines("t", 1, 2));
      assertThat(late.of("status")).isNotEmpty();
    }
  }

  @Test
  void idleStreamsCarryPingComments() {
    long build = api.createBuild();
    try (SseStream s = SseStream.open(events(build))) {
      // the IT server runs with sse.heartbeatSeconds=1
      await().atMost(WAIT).until(() -> s.comments.get() >= 2);
      assertThat(s.rawLines).contains(": ping");
    }
  }

  @Test
  void tenThousandLinesReachFiftySubscribersCompleteAndInOrder() {
    long build = api.createBuild();
    List<SseStream> subscribers = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        subscribers.add(SseStream.open(events(build)));
      }
      for (SseStream s : subscribers) {
        await().atMost(WAIT).until(() -> !s.of("build").isEmpty());
      }
      for (int chunk = 0; chunk < 100; chunk++) {
        api.append(build, lines("f", chunk * 100 + 1, 100));
      }
      List<String> expected = lines("f", 1, 10_000);
      for (SseStream s : subscribers) {
        await().atMost(WAIT).until(() -> s.logLines().size() >= 10_000);
        assertThat(s.logLines()).isEqualTo(expected);
      }
    } finally {
      subscribers.forEach(SseStream::close);
    }
  }

  @Test
  void eventsPublishedDuringAReplayArriveExactlyOnce() throws Exception {
    long build = api.createBuild();
    for (int chunk = 0; chunk < 400; chunk++) {
      api.append(build, lines("p", chunk * 10 + 1, 10));
    }
    CompletableFuture<Void> publishing =
        CompletableFuture.runAsync(
            () -> {
              for (int chunk = 400; chunk < 600; chunk++) {
                api.append(build, lines("p", chunk * 10 + 1, 10));
              }
            },
            background);
    List<SseStream> joiners = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        joiners.add(SseStream.open(events(build)));
      }
      publishing.get(60, TimeUnit.SECONDS);
      List<String> expected = lines("p", 1, 6000);
      for (SseStream s : joiners) {
        await().atMost(WAIT).until(() -> s.logLines().size() >= 6000);
        assertThat(s.logLines()).isEqualTo(expected);
        List<Long> ids =
            s.events.stream().filter(e -> e.id() != null).map(SseEvent::numericId).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
      }
    } finally {
      joiners.forEach(SseStream::close);
    }
  }

  @Test
  void aSubscriberThatStopsReadingDoesNotStallThePublisherOrOthers() throws Exception {
    long build = api.createBuild();
    long cutOffBefore = cutOffSubscribers();
    String pad = "y".repeat(1000);
    try (Socket stuck = new Socket();
        SseStream healthy = SseStream.open(events(build))) {
      stuck.setReceiveBufferSize(4096);
      URI base = URI.create(ItServer.baseUrl());
      stuck.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
      OutputStream out = stuck.getOutputStream();
      out.write(
          ("GET "
                  + events(build)
                  + " HTTP/1.1\r\nHost: "
                  + base.getHost()
                  + "\r\n"
                  + "Accept: text/event-stream\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(WAIT).until(() -> !healthy.of("build").isEmpty());
      // 15 MB of log while one subscriber reads nothing: far past its queue bound
      for (int chunk = 0; chunk < 150; chunk++) {
        List<String> batch = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
          batch.add((chunk * 100 + i) + " " + pad);
        }
        api.append(build, batch);
      }
      await().atMost(WAIT).until(() -> healthy.logLines().size() >= 15_000);
      assertThat(healthy.logLines()).hasSize(15_000);
      await().atMost(WAIT).until(() -> cutOffSubscribers() > cutOffBefore);

      // the stuck client wakes up, finds itself cut off, and catches up from the store
      stuck.setSoTimeout(30_000);
      String raw = readChunkedBody(stuck.getInputStream());
      List<String> seen = new ArrayList<>();
      String lastId = parseRaw(raw, seen);
      try (SseStream resumed = SseStream.open(events(build), Map.of("Last-Event-ID", lastId))) {
        await().atMost(WAIT).until(() -> seen.size() + resumed.logLines().size() >= 15_000);
        seen.addAll(resumed.logLines());
      }
      assertThat(seen).hasSize(15_000);
      for (int i = 0; i < seen.size(); i++) {
        assertThat(seen.get(i)).startsWith((i + 1) + " ");
      }
    }
  }

  @Test
  void aSubscriberReadingOneKilobyteASecondDoesNotDelayTheOthers() throws Exception {
    long build = api.createBuild();
    String pad = "z".repeat(200);
    ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
    try (Socket slow = new Socket();
        SseStream healthy = SseStream.open(events(build))) {
      slow.setReceiveBufferSize(4096);
      URI base = URI.create(ItServer.baseUrl());
      slow.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
      slow.getOutputStream()
          .write(
              ("GET " + events(build) + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      // the slow client: reads 1 KB once a second, as long as the test runs
      InputStream in = slow.getInputStream();
      byte[] kb = new byte[1024];
      trickle.scheduleAtFixedRate(
          () -> {
            try {
              in.read(kb);
            } catch (IOException e) {
              throw new UncheckedIOException(e); // cut off by the server: stop reading
            }
          },
          0,
          1,
          TimeUnit.SECONDS);
      await().atMost(WAIT).until(() -> !healthy.of("build").isEmpty());

      // 40 chunks of 50 lines, each published when the last one arrived: each must reach the
      // healthy subscriber within a second of its publish, whatever the slow one's queue does.
      for (int chunk = 0; chunk < 40; chunk++) {
        List<String> batch = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
          batch.add((chunk * 50 + i) + " " + pad);
        }
        api.append(build, batch);
        int want = (chunk + 1) * 50;
        await()
            .atMost(Duration.ofSeconds(1))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> healthy.logLines().size() >= want);
      }
      assertThat(healthy.logLines()).hasSize(2000);
    } finally {
      trickle.shutdownNow();
    }
  }

  @Test
  void dashboardFeedAnnouncesNewBuildsAndStatusChanges() {
    try (SseStream feed = SseStream.open("/api/events")) {
      await().atMost(WAIT).until(() -> !feed.rawLines.isEmpty());
      long build = api.createBuild();
      api.status(build, "running");
      api.status(build, "passed");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  feed.of("build").stream()
                      .anyMatch(
                          e ->
                              e.json().get("id").asLong() == build
                                  && "passed".equals(e.json().get("status").asText())));
      assertThat(feed.of("build").stream().filter(e -> e.json().get("id").asLong() == build))
          .extracting(e -> e.json().get("status").asText())
          .containsSubsequence("queued", "running", "passed");
    }
  }

  @Test
  void longPollAnswersAtOnceWhenEventsExist() {
    long build = api.createBuild();
    api.append(build, lines("l", 1, 3));
    var r = api.get("/api/builds/" + build + "/poll?after=0&wait=5");
    assertThat(r.statusCode()).isEqualTo(200);
    var body = Api.json(r);
    assertThat(body.get("events")).hasSize(3);
    assertThat(body.get("events").get(0).get("event").asText()).isEqualTo("build");
    assertThat(body.get("events").get(2).get("data").get("lines").get(2).asText()).isEqualTo("l-3");
    assertThat(body.get("last").asLong()).isEqualTo(3);
    assertThat(body.get("done").asBoolean()).isFalse();
  }

  @Test
  void longPollHoldsUntilTheNextEvent() throws Exception {
    long build = api.createBuild();
    CompletableFuture<java.net.http.HttpResponse<String>> waiting =
        CompletableFuture.supplyAsync(
            () -> api.get("/api/builds/" + build + "/poll?after=1&wait=20"), background);
    // the poll is parked: nothing after event 1 yet
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !waiting.isDone());
    api.append(build, lines("w", 1, 2));
    var body = Api.json(waiting.get(20, TimeUnit.SECONDS));
    List<String> types = new ArrayList<>();
    body.get("events").forEach(e -> types.add(e.get("event").asText()));
    assertThat(types).contains("log");
    assertThat(body.get("last").asLong()).isGreaterThan(1);
  }

  @Test
  void longPollTimesOutWithAnEmptyAnswerAndReportsTheEnd() {
    long build = api.createBuild();
    var body = Api.json(api.get("/api/builds/" + build + "/poll?after=1&wait=1"));
    assertThat(body.get("events")).isEmpty();
    assertThat(body.get("last").asLong()).isEqualTo(1);
    api.status(build, "passed");
    var done = Api.json(api.get("/api/builds/" + build + "/poll?after=0&wait=1"));
    assertThat(done.get("done").asBoolean()).isTrue();
    assertThat(api.get("/api/builds/" + build + "/poll?after=x").statusCode()).isEqualTo(400);
    assertThat(api.get("/api/builds/" + build + "/poll?wait=31").statusCode()).isEqualTo(400);
  }

  @Test
  void unknownBuildStreamIs404ProblemJson() {
    var r = api.get("/api/builds/987654321/events");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  /** Subscribers the server cut off for a full queue or for a write that hung. */
  private long cutOffSubscribers() {
    return metric("tailboard_slow_consumer_disconnects_total")
        + metric("tailboard_stalled_writes_total");
  }

  private long metric(String name) {
    for (String line : api.get("/api/metrics").body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + name);
  }

  /**
   * Reads a chunked HTTP/1.1 response body up to its last chunk (the connection stays open), or up
   * to wherever the server cut it.
   */
  private static String readChunkedBody(InputStream in) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      while (!readLine(in).isEmpty()) {
        // response headers
      }
      while (true) {
        int size = Integer.parseInt(readLine(in).trim(), 16);
        if (size == 0) {
          break;
        }
        body.write(in.readNBytes(size));
        readLine(in);
      }
    } catch (IOException | NumberFormatException e) {
      // cut off: keep what came
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("end of stream");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /** Parses an SSE body: adds its log lines, returns its last event id. */
  private static String parseRaw(String body, List<String> lines) {
    String lastId = "0";
    String id = null;
    String event = null;
    String data = null;
    for (String line : body.split("\n")) {
      line = line.replace("\r", "");
      if (line.isEmpty()) {
        if ("log".equals(event) && data != null) {
          new SseEvent(id, event, data).json().get("lines").forEach(n -> lines.add(n.asText()));
          lastId = id;
        } else if (id != null) {
          lastId = id;
        }
        id = null;
        event = null;
        data = null;
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = line.substring(6);
      }
    }
    return lastId;
  }
}
