package dev.tailboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailboard.bench.IngestBenchmark.Subscriber;
import dev.tailboard.testing.ClusterNodes;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.Nginx;
import dev.tailboard.testing.Postgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * The cluster (docs/benchmarks.md, docs/cluster.md): three nodes (the real WAR, each its own JVM)
 * on one PostgreSQL behind nginx with the repository's configuration, all on this machine, started
 * by the benchmark itself. Three figures:
 *
 * <ol>
 *   <li>publish-to-receive latency of subscribers on the publisher's own node against subscribers
 *       on the two other nodes, in the same run on the same build;
 *   <li>fan-out capacity: line deliveries per second of a burst to N subscribers all on one node,
 *       then spread over the three;
 *   <li>resume after {@code kill -9}: clients following a build through nginx, one node killed; for
 *       each client that lost its connection, the time from the drop to the first event on its new
 *       connection (it waits the {@code retry} the server gave it, as EventSource does), and
 *       whether it then had every line exactly once.
 * </ol>
 */
public final class ClusterBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int latencySubs = Integer.getInteger("bench.clusterLatencySubs", 60);
    int rate = Integer.getInteger("bench.rate", 1_000);
    int seconds = Integer.getInteger("bench.seconds", 10);
    int capacitySubs = Integer.getInteger("bench.clusterCapacitySubs", 300);
    int burst = Integer.getInteger("bench.clusterBurstLines", 20_000);
    int killClients = Integer.getInteger("bench.clusterKillClients", 300);
    String database = "bench_" + System.currentTimeMillis();
    Postgres postgres = Postgres.shared();
    postgres.createDatabase(database);
    StringBuilder report = new StringBuilder("| cluster | figure |\n|---|---|\n");
    try (ClusterNodes nodes = ClusterNodes.start(3, postgres.jdbcUrl(database));
        Nginx nginx = Nginx.start(nodes.baseUrls())) {
      // warm-up, not reported: the nodes' JIT and pools, the bus's connections
      latency(nodes, latencySubs, rate, Math.min(3, seconds), new StringBuilder());
      latency(nodes, latencySubs, rate, seconds, report);
      capacity(nodes, capacitySubs, burst, report);
      resume(nodes, nginx, killClients, report);
    }
    System.out.println();
    System.out.println(report);
  }

  /** Same-node and cross-node subscribers of one build, one publisher on node 0, one run. */
  private static void latency(
      ClusterNodes nodes, int subs, int rate, int seconds, StringBuilder report) throws Exception {
    String publisherNode = nodes.node(0).baseUrl();
    long build = IngestBenchmark.createBuild(publisherNode, "bench/cluster-latency");
    int total = rate * seconds;
    List<Subscriber> local = new ArrayList<>();
    List<Subscriber> remote = new ArrayList<>();
    for (int i = 0; i < subs; i++) {
      int node = i % 3;
      Subscriber s = new Subscriber(nodes.node(node).baseUrl(), build, total, true, null);
      (node == 0 ? local : remote).add(s);
    }
    local.forEach(Subscriber::awaitOpen);
    remote.forEach(Subscriber::awaitOpen);
    IngestBenchmark.publish(publisherNode, build, total, 10, rate);
    List<Subscriber> all = new ArrayList<>(local);
    all.addAll(remote);
    all.forEach(s -> s.awaitLines(total, Duration.ofMinutes(2)));
    all.forEach(Subscriber::close);
    long[] same = latencies(local);
    long[] cross = latencies(remote);
    row(
        report,
        String.format(
            "publish-to-receive, %,d lines/s in chunks of 10 for %d s: %d subscribers on the"
                + " publisher's node / %d on the two others, p50 / p99 / max",
            rate, seconds, local.size(), remote.size()),
        String.format(
            "same node %.1f / %.1f / %.1f ms; cross-node %.1f / %.1f / %.1f ms (p99 +%.1f ms)",
            IngestBenchmark.pct(same, 50),
            IngestBenchmark.pct(same, 99),
            same[same.length - 1] / 1000.0,
            IngestBenchmark.pct(cross, 50),
            IngestBenchmark.pct(cross, 99),
            cross[cross.length - 1] / 1000.0,
            IngestBenchmark.pct(cross, 99) - IngestBenchmark.pct(same, 99)));
  }

  /** A burst to subscribers all on node 0, then to as many spread over the three nodes. */
  private static void capacity(ClusterNodes nodes, int subs, int lines, StringBuilder report)
      throws Exception {
    double one = burst(nodes, 1, subs, lines);
    double three = burst(nodes, 3, subs, lines);
    row(
        report,
        String.format(
            "fan-out capacity: a burst of %,d lines (chunks of 100) to %d subscribers, line"
                + " deliveries/s",
            lines, subs),
        String.format(
            "all on one node %,.0f; spread over three %,.0f (%.2f×)", one, three, three / one));
  }

  private static double burst(ClusterNodes nodes, int spread, int subs, int lines)
      throws Exception {
    String publisherNode = nodes.node(0).baseUrl();
    long build = IngestBenchmark.createBuild(publisherNode, "bench/cluster-capacity");
    List<Subscriber> readers = new ArrayList<>();
    for (int i = 0; i < subs; i++) {
      readers.add(new Subscriber(nodes.node(i % spread).baseUrl(), build, lines, false, null));
    }
    readers.forEach(Subscriber::awaitOpen);
    long start = System.nanoTime();
    IngestBenchmark.publish(publisherNode, build, lines, 100, 0);
    readers.forEach(r -> r.awaitLines(lines, Duration.ofMinutes(5)));
    double seconds = (System.nanoTime() - start) / 1e9;
    readers.forEach(Subscriber::close);
    return (double) lines * subs / seconds;
  }

  /** Clients through nginx, a publisher on node 0, node 1 killed with SIGKILL. */
  private static void resume(ClusterNodes nodes, Nginx nginx, int clients, StringBuilder report)
      throws Exception {
    String publisherNode = nodes.node(0).baseUrl();
    long build = IngestBenchmark.createBuild(publisherNode, "bench/cluster-kill");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    URI events = URI.create(nginx.baseUrl() + "/api/builds/" + build + "/events");
    List<Follower> followers = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      followers.add(new Follower(http, events, timer));
    }
    followers.forEach(Follower::connect);
    int lines = 4_000;
    CompletableFuture<Void> publishing =
        CompletableFuture.runAsync(
            () -> {
              try {
                IngestBenchmark.publish(publisherNode, build, lines, 10, 200);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Awaitility.await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> followers.stream().allMatch(f -> f.lines.get() >= 500));
    nodes.kill(1);
    publishing.get(2, TimeUnit.MINUTES);
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> followers.stream().allMatch(f -> f.lines.get() >= lines));
    timer.shutdownNow();
    long[] resumes = sorted(followers, f -> f.resumes);
    long[] reconnects = sorted(followers, f -> f.reconnects);
    long faults = followers.stream().mapToLong(f -> f.faults.get()).sum();
    row(
        report,
        String.format(
            "kill -9 of one of three nodes, %d clients through nginx following a build at 200"
                + " lines/s: clients that lost their connection, time from the drop to the first"
                + " event on the new one p50 / p99 / max (it waits the retry the server gave it:"
                + " sse.retryMillis 3000 ±50%%), the same less that wait, lines missed or doubled",
            clients),
        resumes.length == 0
            ? "no client lost its connection"
            : String.format(
                "%d clients; %.0f / %.0f / %.0f ms; less the retry %.0f / %.0f / %.0f ms; %d",
                resumes.length,
                IngestBenchmark.pct(resumes, 50),
                IngestBenchmark.pct(resumes, 99),
                resumes[resumes.length - 1] / 1000.0,
                IngestBenchmark.pct(reconnects, 50),
                IngestBenchmark.pct(reconnects, 99),
                reconnects[reconnects.length - 1] / 1000.0,
                faults));
  }

  private static long[] sorted(
      List<Follower> followers, java.util.function.Function<Follower, List<Long>> times) {
    return followers.stream()
        .flatMapToLong(f -> times.apply(f).stream().mapToLong(Long::longValue))
        .sorted()
        .toArray();
  }

  private static long[] latencies(List<Subscriber> subs) {
    return subs.stream().flatMapToLong(s -> Arrays.stream(s.latencies())).sorted().toArray();
  }

  private static void row(StringBuilder report, String scenario, String figure) {
    report.append("| ").append(scenario).append(" | ").append(figure).append(" |\n");
  }

  /**
   * An SSE client that resumes as EventSource does: after the stream ends it waits the {@code
   * retry} the server gave it, then reconnects with {@code Last-Event-ID}. Records, in
   * microseconds, each time from a drop to the first event of the next connection.
   */
  private static final class Follower {
    final AtomicLong lines = new AtomicLong();
    final AtomicInteger faults = new AtomicInteger();
    final List<Long> resumes = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The same, less the {@code retry} it waited: reconnect, replay and first event. */
    final List<Long> reconnects = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final HttpClient http;
    private final URI uri;
    private final ScheduledExecutorService timer;
    private volatile String lastId;
    private volatile long retryMillis = 3000;
    private volatile long droppedAt;
    private volatile long waited;

    Follower(HttpClient http, URI uri, ScheduledExecutorService timer) {
      this.http = http;
      this.uri = uri;
      this.timer = timer;
    }

    void connect() {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .header("Accept", "text/event-stream")
              .header("Authorization", "Bearer " + ItServer.publisher());
      if (lastId != null) {
        request.header("Last-Event-ID", lastId);
      }
      http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
          .thenAccept(r -> r.body().forEach(this::line))
          .whenComplete((ok, error) -> dropped());
    }

    private void dropped() {
      if (timer.isShutdown()) {
        return;
      }
      droppedAt = System.nanoTime();
      waited = retryMillis;
      timer.schedule(this::connect, retryMillis, TimeUnit.MILLISECONDS);
    }

    private String event;

    private void line(String line) {
      if (line.startsWith("retry: ")) {
        retryMillis = Long.parseLong(line.substring(7).trim());
      } else if (line.startsWith("id: ")) {
        lastId = line.substring(4);
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ") && "log".equals(event)) {
        if (droppedAt != 0) {
          long micros = (System.nanoTime() - droppedAt) / 1000;
          resumes.add(micros);
          reconnects.add(micros - waited * 1000);
          droppedAt = 0;
        }
        try {
          JsonNode data = JSON.readTree(line.substring(6));
          long first = data.get("first").asLong();
          if (first != lines.get() + 1) {
            faults.incrementAndGet();
          }
          lines.addAndGet(data.get("lines").size());
        } catch (IOException e) {
          faults.incrementAndGet();
        }
      }
    }
  }

  private ClusterBenchmark() {}
}
