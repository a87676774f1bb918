package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.ResumingSse;
import dev.tailboard.testing.WarServer;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Crash recovery (docs/decisions.md; resuming: docs/protocol.md) against a server of the test's own
 * ({@link WarServer}) that it kills with SIGKILL and starts again on the same port and store:
 * nothing a publisher was told is stored gets lost, a publisher retrying by {@code ?seq} never
 * doubles a chunk, and subscribers resuming by Last-Event-ID (thousands at once) see every line
 * exactly once.
 */
class CrashRecoveryIT {

  private static final Duration DEADLINE = Duration.ofSeconds(120);

  // one server for the class: each test kills and restarts it anyway
  private static WarServer server;
  private static Api api;
  private static ScheduledExecutorService timer;
  private static HttpClient http;
  private final List<ResumingSse> all = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = WarServer.start();
    api = new Api(server.baseUrl(), ItServer.publisher());
    timer = Executors.newScheduledThreadPool(2);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stopSubscribers() {
    all.forEach(ResumingSse::stop);
  }

  @AfterAll
  static void stop() throws Exception {
    timer.shutdownNow();
    server.close(); // the client's connections end with the server
  }

  @Test
  void killDashNineDuringAStreamingBuildLosesAndDoublesNothing() throws Exception {
    long id = api.createBuild("crash/kill");
    List<ResumingSse> subscribers = subscribe(id, 5);
    int chunks = 60;
    int size = 100;
    AtomicInteger acked = new AtomicInteger();
    CompletableFuture<Void> publisher =
        CompletableFuture.runAsync(
            () -> {
              for (int seq = 1; seq <= chunks; seq++) {
                List<String> lines = Api.lines("L", (seq - 1) * size + 1, size);
                String path = "/api/builds/" + id + "/log?seq=" + seq;
                retry(() -> api.postJson(path, Map.of("lines", lines)));
                acked.set(seq);
              }
              retry(
                  () -> api.postJson("/api/builds/" + id + "/status", Map.of("status", "passed")));
            });

    await().atMost(DEADLINE).until(() -> acked.get() >= 20);
    server.kill(); // mid-stream: the publisher's next chunk may or may not have been stored
    server.startAgain();
    publisher.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    // The stored log is what the publisher sent, line for line.
    List<String> expected = Api.lines("L", 1, chunks * size);
    HttpResponse<String> raw = api.get("/api/builds/" + id + "/log");
    assertThat(raw.body().lines().toList()).isEqualTo(expected);

    // Every subscriber resumed and saw every line exactly once, in order.
    await().atMost(DEADLINE).until(() -> subscribers.stream().allMatch(ResumingSse::done));
    for (ResumingSse s : subscribers) {
      assertThat(s.faults()).isEmpty();
      assertThat(s.lines()).isEqualTo(expected);
      assertThat(s.connects()).isGreaterThan(1);
    }
  }

  @Test
  void twoThousandSubscribersReconnectingAtOnceAfterARestartAllResume() throws Exception {
    long id = api.createBuild("crash/storm");
    api.append(id, Api.lines("before", 1, 100));
    List<ResumingSse> subscribers = subscribe(id, 2000);
    await()
        .atMost(DEADLINE)
        .until(() -> subscribers.stream().allMatch(s -> s.lines().size() == 100));

    server.kill();
    server.startAgain(); // all 2,000 come back within the same second
    api.append(id, Api.lines("after", 101, 100));
    api.status(id, "passed");

    await().atMost(DEADLINE).until(() -> subscribers.stream().allMatch(ResumingSse::done));
    List<String> expected = new ArrayList<>(Api.lines("before", 1, 100));
    expected.addAll(Api.lines("after", 101, 100));
    for (ResumingSse s : subscribers) {
      assertThat(s.faults()).isEmpty();
      assertThat(s.lines()).isEqualTo(expected);
    }
  }

  private List<ResumingSse> subscribe(long id, int count) {
    URI events = URI.create(server.baseUrl() + "/api/builds/" + id + "/events");
    List<ResumingSse> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ResumingSse s = new ResumingSse(http, events, timer, Duration.ofSeconds(1));
      s.start();
      out.add(s);
      all.add(s);
    }
    return out;
  }

  /** Sends until the server answers 2xx: connection refused while it is down, then a retry. */
  private static void retry(java.util.function.Supplier<HttpResponse<String>> send) {
    await("the server back within " + DEADLINE)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(50))
        .ignoreException(UncheckedIOException.class) // down: try again
        .until(
            () -> {
              HttpResponse<String> r = send.get();
              // anything but a 5xx while it starts is a real refusal
              assertThat(r.statusCode() / 100).as(r.body()).isIn(2, 5);
              return r.statusCode() / 100 == 2;
            });
  }
}
