package dev.tailboard.bench;

import dev.tailboard.testing.ItServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Stalled readers (docs/benchmarks.md): a healthy subscriber's publish-to-receive latency, first
 * alone and then while N clients hold streams of a big finished build without reading them (plus M
 * {@code /api/streams} connections doing the same, where the server has that route; otherwise M
 * more plain streams); the server's threads and heap after a full GC in both phases, and lines the
 * healthy subscriber lost.
 *
 * <p>The stalled clients are raw sockets with a 4 KiB receive buffer that send their request and
 * never read, so the server's writes to them stop as soon as the kernel's buffers are full. Whether
 * the server has answered one is read off {@code /proc/net/tcp}: bytes waiting in the client
 * socket's receive queue, which needs no read. Tailboard cuts a connection whose socket took
 * nothing for {@code sse.writeTimeoutSeconds} (10 s): the phase with them is kept shorter than that
 * (the sockets still established at its end are reported), so it measures the stalled readers, not
 * their removal. Only after the phase does each socket read the status line of its answer.
 */
public final class StalledBenchmark {

  private static final int RECEIVE_BUFFER = 4096;

  public static void main(String[] args) throws Exception {
    int lines = Integer.getInteger("bench.stalledLines", 100_000);
    int stalled = Integer.getInteger("bench.stalled", 200);
    int shared = Integer.getInteger("bench.stalledShared", 50);
    int rate = Integer.getInteger("bench.rate", 1_000);
    int chunk = Integer.getInteger("bench.chunk", 10);
    int seconds = Integer.getInteger("bench.seconds", 5);
    // as the replay scenario stores its 100,000 lines: events of about 8.5 KB
    int bigChunk = Integer.getInteger("bench.stalledChunk", 100);

    long big = IngestBenchmark.createBuild("bench/stalled");
    long start = System.nanoTime();
    IngestBenchmark.publish(big, lines, bigChunk, 0);
    finish(big);
    double publishSeconds = (System.nanoTime() - start) / 1e9;
    boolean sharedRoute = answers("/api/streams?s=a." + IngestBenchmark.createBuild("bench/probe"));

    Phase quiet = Phase.measure(rate, chunk, seconds);

    URI base = URI.create(ItServer.baseUrl());
    String token = ItServer.publisher();
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < stalled + shared; i++) {
      String target =
          i >= stalled && sharedRoute
              ? "/api/streams?s=a." + big
              : "/api/builds/" + big + "/events";
      sockets.add(stall(base, target, token));
    }
    long opened = System.nanoTime();
    int answered =
        LoopbackSockets.awaitAnswered(
            LoopbackSockets.ports(sockets), base.getPort(), Duration.ofSeconds(15));
    long in = System.nanoTime();
    Phase with = Phase.measure(rate, chunk, seconds);
    double withinSeconds = (System.nanoTime() - in) / 1e9;
    int held = LoopbackSockets.established(LoopbackSockets.ports(sockets), base.getPort());
    int ok = okAnswers(sockets, base.getPort());
    for (Socket s : sockets) {
      s.close();
    }

    // -1 (no figure) when a phase received nothing to take a percentile of
    double ratio = quiet.p(99) > 0 && with.p(99) > 0 ? with.p(99) / quiet.p(99) : -1;
    String kind = sharedRoute ? "/api/streams connections" : "more plain streams (no /api/streams)";
    System.out.println();
    System.out.println("| scenario | figure |\n|---|---|");
    System.out.printf(
        "| stalled: big build | %,d lines published and finished in %.1f s |%n",
        lines, publishSeconds);
    System.out.printf(
        "| stalled: readers | %d plain streams + %d %s; %d answered in %.1f s, %d of them with"
            + " 200; %d still established %.1f s later, at the end of the phase |%n",
        stalled, shared, kind, answered, (in - opened) / 1e9, ok, held, withinSeconds);
    System.out.printf(
        "| stalled: healthy subscriber p50 / p99 / max, quiet → with stalled readers | %.1f / %.1f"
            + " / %.1f → %.1f / %.1f / %.1f ms (p99 ×%.2f) |%n",
        quiet.p(50), quiet.p(99), quiet.max(), with.p(50), with.p(99), with.max(), ratio);
    System.out.printf(
        "| stalled: healthy lines delivered, quiet / with | %,d of %,d in %.1f s / %,d of %,d in"
            + " %.1f s |%n",
        quiet.delivered,
        quiet.expected,
        quiet.seconds,
        with.delivered,
        with.expected,
        with.seconds);
    System.out.printf(
        "| stalled: server threads, heap after GC, RSS: quiet → with | %d → %d threads, %.1f →"
            + " %.1f MiB, %.1f → %.1f MiB |%n",
        quiet.threads,
        with.threads,
        quiet.heap / 1048576.0,
        with.heap / 1048576.0,
        quiet.rss / 1048576.0,
        with.rss / 1048576.0);
    ServerProbe.record(
        "stalled",
        ServerProbe.figures(
            "stalledLines",
            lines,
            "stalled",
            stalled,
            "stalledShared",
            sharedRoute ? shared : 0,
            "stalledPlainInstead",
            sharedRoute ? 0 : shared,
            "answered",
            answered,
            "answeredOk",
            ok,
            "heldAtEnd",
            held,
            "withinSeconds",
            withinSeconds,
            "rate",
            rate,
            "chunk",
            chunk,
            "seconds",
            seconds,
            "phaseSecondsQuiet",
            quiet.seconds,
            "phaseSecondsStalled",
            with.seconds,
            "p50Quiet",
            quiet.p(50),
            "p99Quiet",
            quiet.p(99),
            "maxQuiet",
            quiet.max(),
            "p50Stalled",
            with.p(50),
            "p99Stalled",
            with.p(99),
            "maxStalled",
            with.max(),
            "p99Ratio",
            ratio,
            "quietDeliveries",
            quiet.delivered,
            "quietExpected",
            quiet.expected,
            "deliveries",
            with.delivered,
            "expected",
            with.expected,
            "lost",
            quiet.expected - quiet.delivered + with.expected - with.delivered,
            "threadsQuiet",
            quiet.threads,
            "threadsStalled",
            with.threads,
            "heapQuietMiB",
            quiet.heap / 1048576.0,
            "heapStalledMiB",
            with.heap / 1048576.0,
            "rssQuietMiB",
            quiet.rss / 1048576.0,
            "rssStalledMiB",
            with.rss / 1048576.0));
    System.exit(0);
  }

  /**
   * One measurement of a healthy subscriber: the server's threads and heap first (the full GC is
   * then over before the timed lines), then a fresh build published at a paced rate to one
   * subscriber, which gets the phase's length again to catch up before what it has not got counts
   * as lost.
   */
  private record Phase(
      long threads,
      long heap,
      long rss,
      long[] latencies,
      long delivered,
      long expected,
      double seconds) {

    static Phase measure(int rate, int chunk, int seconds) throws Exception {
      long threads = ServerProbe.threads();
      long heap = ServerProbe.heapAfterGc();
      long rss = ServerProbe.rss();
      int total = rate * seconds;
      long start = System.nanoTime();
      IngestBenchmark.Subscriber healthy = null;
      try {
        long build = IngestBenchmark.createBuild("bench/stalled-healthy");
        healthy = IngestBenchmark.subscribe(build, 1, total).get(0);
        IngestBenchmark.publish(build, total, chunk, rate);
        healthy.awaitLines(total, Duration.ofSeconds(seconds));
      } catch (IOException | ConditionTimeoutException | IllegalStateException e) {
        // a server that cannot serve it any more: what did not arrive counts as lost
        System.out.println("healthy subscriber: " + e);
      }
      long delivered = healthy == null ? 0 : healthy.lines();
      long[] got = new long[0];
      if (healthy != null) {
        healthy.close();
        got = Arrays.copyOf(healthy.latencies(), (int) Math.min(delivered, total));
      }
      Arrays.sort(got);
      return new Phase(
          threads, heap, rss, got, delivered, total, (System.nanoTime() - start) / 1e9);
    }

    double p(int percentile) {
      return latencies.length == 0 ? -1 : IngestBenchmark.pct(latencies, percentile);
    }

    double max() {
      return latencies.length == 0 ? -1 : latencies[latencies.length - 1] / 1000.0;
    }
  }

  private static void finish(long build) throws Exception {
    HttpResponse<String> r =
        ServerProbe.http()
            .send(
                IngestBenchmark.request("/api/builds/" + build + "/status")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"passed\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("finish: " + r.statusCode() + " " + r.body());
    }
  }

  /** Whether the server answers {@code path} with 200 (the peers have no {@code /api/streams}). */
  private static boolean answers(String path) throws Exception {
    HttpResponse<InputStream> r =
        ServerProbe.http()
            .send(
                IngestBenchmark.request(path).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode() == 200;
  }

  /** A client that asks for a stream and then never reads. */
  private static Socket stall(URI base, String target, String token) throws IOException {
    Socket s = new Socket();
    // before connecting, so that the window the server sees is small from the first byte
    s.setReceiveBufferSize(RECEIVE_BUFFER);
    s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
    s.getOutputStream()
        .write(IdleBenchmark.sseRequest(base, target, token).getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  /** After the phase: how many stalled sockets had been answered 200 (the first bytes only). */
  private static int okAnswers(List<Socket> sockets, int serverPort) throws IOException {
    int ok = 0;
    byte[] expected = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);
    Map<Integer, long[]> table = LoopbackSockets.tcp(serverPort);
    for (Socket s : sockets) {
      long[] row = table.get(s.getLocalPort());
      if (row == null || row[1] == 0) {
        continue; // nothing came: a read would only wait out its timeout
      }
      try {
        s.setSoTimeout(1_000);
        byte[] head = s.getInputStream().readNBytes(expected.length);
        ok += Arrays.equals(head, expected) ? 1 : 0;
      } catch (IOException e) {
        // cut or refused: not counted
      }
    }
    return ok;
  }

  private StalledBenchmark() {}
}
