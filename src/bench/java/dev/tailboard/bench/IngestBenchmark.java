package dev.tailboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailboard.testing.ItServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The foundation's benchmark, run by {@code bench/ingest.sh} against a Tailboard it started:
 *
 * <ol>
 *   <li>ingest at full speed while N SSE subscribers listen: lines/s accepted, and lines/s
 *       delivered to all of them;
 *   <li>a paced publisher (lines/s in chunks) and the publish-to-receive latency per line at every
 *       subscriber (p50/p99/max);
 *   <li>replaying a 100,000-line build to a subscriber that resumes from the start.
 * </ol>
 *
 * Each line carries its send time (epoch microseconds); server and load generator share the
 * machine's clock.
 */
public final class IngestBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = ServerProbe.http();
  private static final String TOKEN = ItServer.publisher();

  /**
   * How long a request may wait for its answer's head: a server out of threads must fail the run,
   * not hang it.
   */
  private static final Duration TIMEOUT =
      Duration.ofSeconds(Long.getLong("bench.requestTimeoutSeconds", 30));

  public static void main(String[] args) throws Exception {
    int subscribers = Integer.getInteger("bench.subscribers", 100);
    int burstLines = Integer.getInteger("bench.burstLines", 200_000);
    int rate = Integer.getInteger("bench.rate", 5_000);
    int seconds = Integer.getInteger("bench.seconds", 10);
    int chunk = Integer.getInteger("bench.chunk", 50);
    int replayLines = Integer.getInteger("bench.replayLines", 100_000);
    StringBuilder report = new StringBuilder();
    report.append("| scenario | figure |\n|---|---|\n");
    if (burstLines > 0) {
      burst(subscribers, burstLines, 100, report);
    }
    if (seconds > 0) {
      paced(subscribers, rate, seconds, chunk, report);
    }
    if (replayLines > 0) {
      replay(replayLines, 100, report);
    }
    System.out.println();
    System.out.println(report);
  }

  private static void burst(int subs, int total, int chunk, StringBuilder report) throws Exception {
    long build = createBuild("bench/ingest");
    List<Subscriber> readers = subscribe(build, subs, total);
    long start = System.nanoTime();
    publish(build, total, chunk, 0);
    double publishSecs = (System.nanoTime() - start) / 1e9;
    for (Subscriber r : readers) {
      r.awaitLines(total, Duration.ofMinutes(5));
    }
    double deliverSecs = (System.nanoTime() - start) / 1e9;
    readers.forEach(Subscriber::close);
    row(
        report,
        "burst: lines/s accepted, " + subs + " subscribers, chunks of " + chunk,
        String.format("%,.0f", total / publishSecs));
    row(
        report,
        "burst: lines/s delivered to every subscriber",
        String.format(
            "%,.0f (%,.0f line deliveries/s)",
            total / deliverSecs, (double) total * subs / deliverSecs));
  }

  private static void paced(int subs, int rate, int seconds, int chunk, StringBuilder report)
      throws Exception {
    long build = createBuild("bench/ingest");
    int total = rate * seconds;
    List<Subscriber> readers = subscribe(build, subs, total);
    long cpuBefore = ServerProbe.cpuNanos();
    long start = System.nanoTime();
    publish(build, total, chunk, rate);
    double publishSeconds = (System.nanoTime() - start) / 1e9;
    for (Subscriber r : readers) {
      r.awaitLines(total, Duration.ofSeconds(Long.getLong("bench.awaitSeconds", 120)));
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long cpu = ServerProbe.cpuNanos() - cpuBefore;
    readers.forEach(Subscriber::close);
    long[] all =
        readers.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).sorted().toArray();
    row(
        report,
        String.format(
            "paced: %,d lines/s in chunks of %d for %d s, %d subscribers",
            rate, chunk, seconds, subs),
        String.format("%,d line deliveries", all.length));
    row(
        report,
        "paced: publish-to-receive latency p50 / p99 / max",
        String.format(
            "%.1f / %.1f / %.1f ms", pct(all, 50), pct(all, 99), all[all.length - 1] / 1000.0));
    ServerProbe.record(
        "fanout",
        ServerProbe.figures(
            "subscribers",
            subs,
            "rate",
            rate,
            "chunk",
            chunk,
            "seconds",
            seconds,
            "deliveries",
            all.length,
            "expected",
            (long) total * subs,
            "publishSeconds",
            publishSeconds,
            "deliverSeconds",
            elapsed,
            "throughput",
            all.length / elapsed,
            "p50",
            pct(all, 50),
            "p99",
            pct(all, 99),
            "max",
            all[all.length - 1] / 1000.0,
            "cpuMicrosPerDelivery",
            cpu / 1000.0 / Math.max(1, all.length),
            "cpuCores",
            cpu / 1e9 / elapsed,
            "heapMiB",
            ServerProbe.heapAfterGc() / 1048576.0,
            "rssMiB",
            ServerProbe.rss() / 1048576.0));
  }

  private static void replay(int lines, int chunk, StringBuilder report) throws Exception {
    long build = createBuild("bench/ingest");
    publish(build, lines, chunk, 0);
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      // resumes after event 1 (the build summary): every stored log event is replayed
      Subscriber r = new Subscriber(build, lines, false, "1");
      r.awaitLines(lines, Duration.ofMinutes(2));
      times.add((System.nanoTime() - start) / 1e6);
      r.close();
    }
    times.sort(null);
    row(
        report,
        String.format(
            "replay: %,d stored lines (chunks of %d) to a resuming subscriber", lines, chunk),
        String.format("median %.0f ms (runs: %s)", times.get(1), times));
    ServerProbe.record(
        "replay",
        ServerProbe.figures(
            "lines",
            lines,
            "chunk",
            chunk,
            "median",
            times.get(1),
            "min",
            times.get(0),
            "max",
            times.get(2),
            "throughput",
            lines / (times.get(1) / 1000.0),
            "heapMiB",
            ServerProbe.heapAfterGc() / 1048576.0,
            "rssMiB",
            ServerProbe.rss() / 1048576.0));
  }

  static double pct(long[] sorted, int p) {
    int i = (int) Math.min(sorted.length - 1, Math.ceil(sorted.length * (double) p / 100.0) - 1);
    return sorted[Math.max(0, i)] / 1000.0;
  }

  private static void row(StringBuilder report, String scenario, String figure) {
    report.append("| ").append(scenario).append(" | ").append(figure).append(" |\n");
    System.out.println(scenario + ": " + figure);
  }

  static List<Subscriber> subscribe(long build, int n, int expected) throws Exception {
    List<Subscriber> readers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      readers.add(new Subscriber(build, expected, true, null));
    }
    for (Subscriber r : readers) {
      r.awaitOpen();
    }
    return readers;
  }

  /** Publishes {@code total} lines in chunks; {@code rate} lines/s, or as fast as it can if 0. */
  static void publish(long build, int total, int chunk, int rate) throws Exception {
    publish(ItServer.baseUrl(), build, total, chunk, rate);
  }

  /** As {@link #publish(long, int, int, int)}, to the server at {@code base}. */
  static void publish(String base, long build, int total, int chunk, int rate) throws Exception {
    long start = System.nanoTime();
    String pad = "x".repeat(60);
    for (int sent = 0; sent < total; sent += chunk) {
      if (rate > 0) {
        long due = start + (long) (sent * 1e9 / rate);
        while (System.nanoTime() < due) {
          Thread.onSpinWait();
          if (due - System.nanoTime() > 2_000_000) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
          }
        }
      }
      StringBuilder body = new StringBuilder("{\"lines\":[");
      long micros = nowMicros();
      for (int i = 0; i < chunk && sent + i < total; i++) {
        body.append(i == 0 ? "" : ",")
            .append('"')
            .append(micros)
            .append(' ')
            .append(sent + i + 1)
            .append(' ')
            .append(pad)
            .append('"');
      }
      body.append("]}");
      HttpResponse<String> r =
          HTTP.send(
              request(base, "/api/builds/" + build + "/log")
                  .header("Content-Type", "application/json")
                  .timeout(TIMEOUT)
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("publish: " + r.statusCode() + " " + r.body());
      }
    }
  }

  /** Appends one JSON chunk ({@code {"lines": [...]}}) to {@code build}; anything but 200 fails. */
  static void append(HttpClient http, long build, byte[] body) throws Exception {
    HttpResponse<String> r =
        http.send(
            request("/api/builds/" + build + "/log")
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("append: " + r.statusCode() + " " + r.body());
    }
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  static long createBuild(String project) throws Exception {
    return createBuild(ItServer.baseUrl(), project);
  }

  static long createBuild(String base, String project) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            request(base, "/api/builds")
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(java.util.Map.of("project", project))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).get("id").asLong();
  }

  static HttpRequest.Builder request(String path) {
    return request(ItServer.baseUrl(), path);
  }

  static HttpRequest.Builder request(String base, String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + TOKEN);
  }

  /** One SSE subscriber on its own thread, counting lines and recording latency per line. */
  static final class Subscriber {
    private final AtomicLong lines = new AtomicLong();
    private final long[] latencies;
    private final InputStream body;
    private final Thread thread;
    private volatile boolean open;

    Subscriber(long build, int expected, boolean recordLatency, String lastEventId)
        throws Exception {
      this(ItServer.baseUrl(), build, expected, recordLatency, lastEventId);
    }

    /** A subscriber of the server at {@code base}. */
    Subscriber(String base, long build, int expected, boolean recordLatency, String lastEventId)
        throws Exception {
      latencies = recordLatency ? new long[expected] : new long[0];
      HttpRequest.Builder req =
          request(base, "/api/builds/" + build + "/events")
              .header("Accept", "text/event-stream")
              .timeout(TIMEOUT);
      if (lastEventId != null) {
        req.header("Last-Event-ID", lastEventId);
      }
      body = HTTP.send(req.GET().build(), HttpResponse.BodyHandlers.ofInputStream()).body();
      thread = new Thread(this::read, "bench-subscriber");
      thread.setDaemon(true);
      thread.start();
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String event = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          open = true;
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ") && "log".equals(event)) {
            long received = nowMicros();
            JsonNode data = JSON.readTree(line.substring(6));
            for (JsonNode l : data.get("lines")) {
              int n = (int) lines.getAndIncrement();
              if (n < latencies.length) {
                String text = l.asText();
                latencies[n] = received - Long.parseLong(text.substring(0, text.indexOf(' ')));
              }
            }
          } else if (line.isEmpty()) {
            event = null;
          }
        }
      } catch (IOException e) {
        // closed
      }
    }

    void awaitOpen() {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> open);
    }

    void awaitLines(long n, Duration max) {
      org.awaitility.Awaitility.await("lines at a subscriber")
          .atMost(max)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> lines.get() >= n);
    }

    long lines() {
      return lines.get();
    }

    long[] latencies() {
      return latencies;
    }

    void close() {
      try {
        body.close();
      } catch (IOException e) {
        // gone
      }
    }
  }

  private IngestBenchmark() {}
}
