package dev.tailboard.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ClusterNodes;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.Nginx;
import dev.tailboard.testing.Postgres;
import dev.tailboard.testing.ResumingSse;
import dev.tailboard.testing.SseEvent;
import dev.tailboard.testing.SseStream;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three nodes (the real WAR, each in its own JVM) on one PostgreSQL behind nginx with the
 * repository's configuration: a build's events published on one node reach subscribers on the
 * others once and in order; ids stay gapless with publishers on two nodes; a node killed with
 * {@code kill -9} loses nobody anything; a database of another epoch makes a resume a {@code
 * reset}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private static Postgres postgres;
  private static ClusterNodes nodes;
  private static Nginx nginx;
  private static ScheduledExecutorService timer;
  private static HttpClient http;
  private final List<ResumingSse> subscribers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    postgres = Postgres.shared();
    postgres.createDatabase("cluster_it");
    nodes = ClusterNodes.start(3, postgres.jdbcUrl("cluster_it"));
    nginx = Nginx.start(nodes.baseUrls());
    timer = Executors.newScheduledThreadPool(2);
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stopSubscribers() {
    subscribers.forEach(ResumingSse::stop);
  }

  @AfterAll
  static void stop() throws Exception {
    timer.shutdownNow();
    nginx.close();
    nodes.close();
  }

  @Test
  @Order(1)
  void linesPublishedOnOneNodeReachFiftySubscribersOnTheOthersOnceAndInOrder() {
    Api a = api(nodes.node(0).baseUrl());
    long id = a.createBuild("cluster/fanout");
    List<ResumingSse> followers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      followers.add(follow(nodes.node(1 + i % 2).baseUrl(), id));
    }
    a.append(id, Api.lines("L", 1, 50));
    // every follower is live (it has the first chunk); the rest reaches them across nodes
    await().atMost(DEADLINE).until(() -> followers.stream().allMatch(s -> s.lines().size() >= 50));
    for (int chunk = 1; chunk < 20; chunk++) {
      a.append(id, Api.lines("L", chunk * 50 + 1, 50));
    }
    a.status(id, "passed");

    await().atMost(DEADLINE).until(() -> followers.stream().allMatch(ResumingSse::done));
    List<String> expected = Api.lines("L", 1, 1000);
    for (ResumingSse s : followers) {
      assertThat(s.faults()).isEmpty();
      assertThat(s.lines()).isEqualTo(expected);
      assertThat(s.connects()).as("live all along, never resumed").isEqualTo(1);
    }
  }

  @Test
  @Order(2)
  void publishersOfOneBuildOnTwoNodesGetGaplessIdsAndLines() throws Exception {
    Api a = api(nodes.node(0).baseUrl());
    Api b = api(nodes.node(1).baseUrl());
    long id = a.createBuild("cluster/race");
    CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> publish(a, id, "A"));
    CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> publish(b, id, "B"));
    fromA.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    fromB.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    JsonNode polled =
        Api.json(api(nodes.node(2).baseUrl()).get("/api/builds/" + id + "/poll?after=0&wait=0"));
    List<Long> ids = new ArrayList<>();
    List<Long> firstLines = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (JsonNode e : polled.get("events")) {
      ids.add(e.get("id").asLong());
      if ("log".equals(e.get("event").asText())) {
        firstLines.add(e.get("data").get("first").asLong());
        e.get("data").get("lines").forEach(l -> lines.add(l.asText()));
      }
    }
    // event 1 (build), 2 (status running), then 60 log events: ids 1..62, no gap, no double
    assertThat(ids).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 62).boxed().toList());
    List<Long> expectedFirst = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      expectedFirst.add(i * 10L + 1);
    }
    assertThat(firstLines).isEqualTo(expectedFirst);
    // each publisher's lines are all there, in its own order
    assertThat(lines.stream().filter(l -> l.startsWith("A")).toList())
        .isEqualTo(Api.lines("A", 1, 300));
    assertThat(lines.stream().filter(l -> l.startsWith("B")).toList())
        .isEqualTo(Api.lines("B", 1, 300));
  }

  @Test
  @Order(3)
  void aLongPollAndTheGlobalFeedOnOneNodeHearOfAPublishOnAnother() throws Exception {
    Api a = api(nodes.node(0).baseUrl());
    Api c = api(nodes.node(2).baseUrl());
    long id = a.createBuild("cluster/poll");
    long newest = a.build(id).get("lastEventId").asLong();
    try (SseStream feed = SseStream.openAt(nodes.node(1).baseUrl() + "/api/events", auth())) {
      await().atMost(DEADLINE).until(() -> feed.status() == 200);
      CompletableFuture<HttpResponse<String>> poll =
          CompletableFuture.supplyAsync(
              () -> c.get("/api/builds/" + id + "/poll?after=" + newest + "&wait=20"));
      // the poll is waiting on node 2 before the publish on node 0
      await()
          .atMost(DEADLINE)
          .until(() -> metric(nodes.node(2).baseUrl(), "tailboard_poll_waiting") > 0);
      a.append(id, List.of("across"));
      HttpResponse<String> polled = poll.get(10, TimeUnit.SECONDS);
      assertThat(polled.statusCode()).as(polled.body()).isEqualTo(200);
      JsonNode answer = Api.json(polled);
      // the first line also made the build running: a status event, then the log event
      List<String> events = new ArrayList<>();
      answer.get("events").forEach(e -> events.add(e.get("event").asText()));
      assertThat(events).containsExactly("status", "log");
      assertThat(answer.get("events").get(1).get("data").get("lines").get(0).asText())
          .isEqualTo("across");
      a.status(id, "failed");
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  feed.of("build").stream()
                      .map(SseEvent::json)
                      .anyMatch(
                          b ->
                              b.get("id").asLong() == id
                                  && "failed".equals(b.get("status").asText())));
    }
  }

  @Test
  @Order(4)
  void aNodeWhoseListenConnectionDropsCatchesUpFromTheStore() throws Exception {
    Api a = api(nodes.node(0).baseUrl());
    long id = a.createBuild("cluster/relisten");
    ResumingSse follower = follow(nodes.node(1).baseUrl(), id);
    a.append(id, List.of("before"));
    await().atMost(DEADLINE).until(() -> follower.lines().size() == 1);
    // every node's LISTEN connection is cut; the line published now is announced to nobody
    postgres.query(
        "cluster_it",
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE application_name = 'tailboard-bus'");
    a.append(id, List.of("while cut"));
    await().atMost(DEADLINE).until(() -> follower.lines().size() == 2);
    assertThat(follower.lines()).containsExactly("before", "while cut");
    assertThat(follower.connects()).isEqualTo(1);
  }

  @Test
  @Order(5)
  void killDashNineOfANodeWhileAHundredClientsFollowThroughNginxLosesAndDoublesNothing()
      throws Exception {
    Api viaNginx = api(nginx.baseUrl());
    long id = viaNginx.createBuild("cluster/kill");
    List<ResumingSse> followers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      followers.add(follow(nginx.baseUrl(), id));
    }
    int chunks = 60;
    int size = 50;
    AtomicInteger acked = new AtomicInteger();
    CompletableFuture<Void> publisher =
        CompletableFuture.runAsync(
            () -> {
              for (int seq = 1; seq <= chunks; seq++) {
                List<String> lines = Api.lines("K", (seq - 1) * size + 1, size);
                String path = "/api/builds/" + id + "/log?seq=" + seq;
                retry(() -> viaNginx.postJson(path, Map.of("lines", lines)));
                acked.set(seq);
              }
              retry(
                  () ->
                      viaNginx.postJson(
                          "/api/builds/" + id + "/status", Map.of("status", "passed")));
            });
    await().atMost(DEADLINE).until(() -> acked.get() >= 20);
    nodes.kill(1);
    publisher.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    List<String> expected = Api.lines("K", 1, chunks * size);
    assertThat(viaNginx.get("/api/builds/" + id + "/log").body().lines().toList())
        .isEqualTo(expected);
    await().atMost(DEADLINE).until(() -> followers.stream().allMatch(ResumingSse::done));
    for (ResumingSse s : followers) {
      assertThat(s.faults()).isEmpty();
      assertThat(s.lines()).isEqualTo(expected);
    }
    // about a third of them were on the killed node and resumed on another
    assertThat(followers.stream().filter(s -> s.connects() > 1).count()).isPositive();
    nodes.node(1).startAgain();
  }

  @Test
  @Order(6)
  void aResumeAgainstADatabaseOfAnotherEpochIsAReset() throws Exception {
    postgres.createDatabase("epoch_it");
    try (ClusterNodes one = ClusterNodes.start(1, postgres.jdbcUrl("epoch_it"))) {
      WarServer node = one.node(0);
      Api a = api(node.baseUrl());
      long id = a.createBuild("cluster/epoch");
      for (String line : Api.lines("E", 1, 5)) {
        a.append(id, List.of(line)); // five log events
      }
      String position;
      try (SseStream s =
          SseStream.openAt(node.baseUrl() + "/api/builds/" + id + "/events", Map.of())) {
        await().atMost(DEADLINE).until(() -> s.of("log").size() == 5);
        position = s.of("log").get(2).id();
      }
      // the same position resumes while the database is the same
      try (SseStream s = resume(node, id, position)) {
        await().atMost(DEADLINE).until(() -> s.of("log").size() == 2);
        assertThat(s.of("reset")).isEmpty();
      }
      // a restore, as docs/cluster.md tells operators to do it: a new epoch
      node.stop();
      postgres.query("epoch_it", "DELETE FROM tailboard_epoch");
      node.startAgain();
      try (SseStream s = resume(node, id, position)) {
        await().atMost(DEADLINE).until(() -> s.of("log").size() == 5);
        assertThat(s.events.get(0).event()).isEqualTo("reset");
        assertThat(s.of("log").get(0).id())
            .isNotEqualTo(position)
            .doesNotStartWith(epoch(position));
      }
    }
  }

  private static String epoch(String position) {
    return position.substring(0, position.indexOf('.') + 1);
  }

  private static SseStream resume(WarServer node, long id, String position) {
    return SseStream.openAt(
        node.baseUrl() + "/api/builds/" + id + "/events", Map.of("Last-Event-ID", position));
  }

  private static Map<String, String> auth() {
    return Map.of("Authorization", "Bearer " + ItServer.publisher());
  }

  private static Api api(String base) {
    return new Api(base, ItServer.publisher());
  }

  private ResumingSse follow(String base, long id) {
    URI events = URI.create(base + "/api/builds/" + id + "/events");
    ResumingSse s = new ResumingSse(http, events, timer, Duration.ofSeconds(1));
    s.start();
    subscribers.add(s);
    return s;
  }

  private static void publish(Api api, long id, String prefix) {
    for (int chunk = 0; chunk < 30; chunk++) {
      api.append(id, Api.lines(prefix, chunk * 10 + 1, 10));
    }
  }

  private static double metric(String base, String name) {
    return api(base)
        .get("/api/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(name))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /**
   * Sends until a node answers 2xx: while a node is dying nginx may answer 502 (a POST is never
   * sent to a second node), or the connection drops; a retry with the same {@code seq} is safe.
   */
  private static void retry(Supplier<HttpResponse<String>> send) {
    await("a node answers within " + DEADLINE)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(50))
        .ignoreException(UncheckedIOException.class)
        .until(
            () -> {
              HttpResponse<String> r = send.get();
              assertThat(r.statusCode() / 100).as(r.body()).isIn(2, 5);
              return r.statusCode() / 100 == 2;
            });
  }
}
