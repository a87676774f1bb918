package dev.tailboard.bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Log search at its worst (run by {@code bench/search.sh}): one build of N realistic CI lines
 * (default 5,000,000), then
 *
 * <ol>
 *   <li>a query that matches nothing (every line scanned) and one that matches only the last line,
 *       each walked from the start following {@code next} until it is null: time per request (max,
 *       p50), lines covered per request, requests to cover the log;
 *   <li>8 clients walking the no-match query at once: wall time, and how many were refused with
 *       429;
 *   <li>the server's heap after a full GC when the log is stored, and the most of several samples
 *       taken while the concurrent searches run (what the scans hold).
 * </ol>
 *
 * Only the HTTP API is used, so the same class measures the server before and after a per-request
 * search budget.
 */
public final class SearchBenchmark {

  static final String NO_MATCH = "zebra-quokka-no-such-line";
  static final String AT_END = "needle-on-the-very-last-line";

  public static void main(String[] args) throws Exception {
    long lines = Long.getLong("bench.searchLines", 5_000_000);
    int chunk = Integer.getInteger("bench.chunkLines", 10_000);
    int publishers = Integer.getInteger("bench.publishers", 3);
    int concurrent = Integer.getInteger("bench.concurrentSearches", 8);
    int maxRequests = Integer.getInteger("bench.maxRequests", 10_000);
    Duration timeout = Duration.ofSeconds(Long.getLong("bench.searchTimeoutSeconds", 300));
    HttpClient http = ServerProbe.http();

    long heapEmpty = ServerProbe.heapAfterGc();
    long build = IngestBenchmark.createBuild("bench/search");
    long start = System.nanoTime();
    publish(http, build, lines, chunk, publishers);
    double publishSeconds = (System.nanoTime() - start) / 1e9;
    long lineCount = lineCount(http, build);
    System.out.printf("published %,d lines in %.1f s%n", lineCount, publishSeconds);
    long heapStored = ServerProbe.heapAfterGc();
    // what holds the stored log's memory, if asked (-Dbench.histogram=FILE)
    ServerProbe.histogram(System.getProperty("bench.histogram"));

    SearchWalk none = SearchWalk.run(http, build, NO_MATCH, lineCount, maxRequests, timeout);
    System.out.println("no match: " + none);
    SearchWalk end = SearchWalk.run(http, build, AT_END, lineCount, maxRequests, timeout);
    System.out.println("match at the end: " + end);

    Concurrent together = Concurrent.run(http, build, lineCount, concurrent, maxRequests, timeout);
    System.out.println("concurrent: " + together);

    System.out.println();
    System.out.println("| search: figure | value |\n|---|---|");
    System.out.printf(
        "| log | %,d lines in chunks of %,d, published by %d clients in %.1f s |%n",
        lineCount, chunk, publishers, publishSeconds);
    row("no match (full scan)", none);
    row("match on the last line", end);
    System.out.printf(
        "| match on the last line: found at | %s (last line %,d) |%n", end.matchLines, lineCount);
    System.out.printf(
        "| %d concurrent no-match walks | wall %.1f s; %d completed, %d refused (429), %d failed;"
            + " per request max %.0f ms, p50 %.0f ms; %d requests in all |%n",
        concurrent,
        together.seconds,
        together.completed(),
        together.refused(),
        together.failed(),
        together.maxMillis(),
        together.p50Millis(),
        together.requests());
    System.out.printf(
        "| server heap after full GC: empty / log stored / most while %d searches run | %.1f /"
            + " %.1f / %.1f MiB (%d samples) |%n",
        concurrent,
        heapEmpty / 1048576.0,
        heapStored / 1048576.0,
        together.heapMax / 1048576.0,
        together.heapSamples);
    ServerProbe.record(
        "search",
        ServerProbe.figures(
            "lines", lineCount,
            "chunkLines", chunk,
            "publishSeconds", publishSeconds,
            "noMatchRequests", none.requests.size(),
            "noMatchMaxMs", none.maxMillis(),
            "noMatchP50Ms", none.p50Millis(),
            "noMatchMaxLinesPerRequest", none.maxLinesPerRequest(),
            "noMatchComplete", none.complete(),
            "noMatchSeconds", none.seconds,
            "endRequests", end.requests.size(),
            "endMaxMs", end.maxMillis(),
            "endP50Ms", end.p50Millis(),
            "endMaxLinesPerRequest", end.maxLinesPerRequest(),
            "endFound", end.matchLines.contains(lineCount),
            "endSeconds", end.seconds,
            "concurrent", concurrent,
            "concurrentSeconds", together.seconds,
            "concurrentCompleted", together.completed(),
            "concurrentRefused", together.refused(),
            "concurrentFailed", together.failed(),
            "concurrentMaxMs", together.maxMillis(),
            "heapEmptyMiB", heapEmpty / 1048576.0,
            "heapStoredMiB", heapStored / 1048576.0,
            "heapSearchingMaxMiB", together.heapMax / 1048576.0));
    System.exit(0);
  }

  private static void row(String name, SearchWalk walk) {
    System.out.printf(
        "| %s | %d request(s) to cover %,d lines in %.1f s; per request max %.0f ms, p50 %.0f ms;"
            + " lines per request %,d to %,d%s |%n",
        name,
        walk.requests.size(),
        walk.linesCovered(),
        walk.seconds,
        walk.maxMillis(),
        walk.p50Millis(),
        walk.minLinesPerRequest(),
        walk.maxLinesPerRequest(),
        walk.failure != null
            ? "; failed: " + walk.failure
            : walk.refused > 0 ? "; refused (429)" : "");
  }

  /**
   * Appends {@code lines} lines with {@code publishers} clients at once, each taking the next
   * chunk; the chunk ending with the {@link #AT_END} line goes last, alone, so it is the log's last
   * line whatever order the others land in.
   */
  static void publish(HttpClient http, long build, long lines, int chunk, int publishers)
      throws Exception {
    long chunks = (lines + chunk - 1) / chunk;
    AtomicLong nextChunk = new AtomicLong();
    ExecutorService pool =
        Executors.newFixedThreadPool(publishers, BenchThreads.named("search-publisher"));
    List<Future<Void>> done = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      done.add(
          pool.submit(
              () -> {
                for (long c; (c = nextChunk.getAndIncrement()) < chunks - 1; ) {
                  IngestBenchmark.append(http, build, CiLogLines.chunk(c * chunk + 1, chunk));
                }
                return null;
              }));
    }
    for (Future<Void> f : done) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    long first = (chunks - 1) * chunk + 1;
    IngestBenchmark.append(
        http, build, CiLogLines.chunkEndingWith(first, (int) (lines - first + 1), AT_END));
  }

  private static long lineCount(HttpClient http, long build) throws Exception {
    HttpResponse<String> r =
        http.send(
            IngestBenchmark.request("/api/builds/" + build).build(),
            HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(r.body())
        .get("lineCount")
        .asLong();
  }

  /**
   * N walks of the no-match query at once, and the server's heap after GC sampled while they run
   * (each sample is a full GC of the server, so samples are spaced, and stop when the walks end).
   */
  static final class Concurrent {
    final List<SearchWalk> walks = new ArrayList<>();
    double seconds;
    long heapMax = -1;
    int heapSamples;

    static Concurrent run(
        HttpClient http, long build, long lineCount, int n, int maxRequests, Duration timeout)
        throws Exception {
      Concurrent c = new Concurrent();
      ExecutorService pool = Executors.newFixedThreadPool(n, BenchThreads.named("search-walker"));
      List<Future<SearchWalk>> futures = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> SearchWalk.run(http, build, NO_MATCH, lineCount, maxRequests, timeout)));
      }
      long deadline = start + timeout.toNanos() * 2;
      while (futures.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
        long heap = ServerProbe.heapAfterGc();
        c.heapSamples++;
        c.heapMax = Math.max(c.heapMax, heap);
        // at most one sample per 2 s: each is a full GC that stops the searches it measures
        awaitAny(futures, Duration.ofSeconds(2));
      }
      for (Future<SearchWalk> f : futures) {
        try {
          c.walks.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          SearchWalk failed = new SearchWalk();
          failed.failure = String.valueOf(e.getCause());
          c.walks.add(failed);
        }
      }
      c.seconds = (System.nanoTime() - start) / 1e9;
      pool.shutdownNow();
      return c;
    }

    /** Waits until every walk is done or {@code max} has passed, polling the futures. */
    private static void awaitAny(List<Future<SearchWalk>> futures, Duration max) {
      try {
        org.awaitility.Awaitility.await()
            .atMost(max)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> futures.stream().allMatch(Future::isDone));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // still running: time for the next heap sample
      }
    }

    long completed() {
      return walks.stream().filter(SearchWalk::complete).count();
    }

    long refused() {
      return walks.stream().filter(w -> w.refused > 0).count();
    }

    long failed() {
      return walks.stream().filter(w -> w.failure != null).count();
    }

    int requests() {
      return walks.stream().mapToInt(w -> w.requests.size()).sum();
    }

    double maxMillis() {
      return walks.stream().mapToDouble(SearchWalk::maxMillis).max().orElse(-1);
    }

    double p50Millis() {
      double[] all =
          walks.stream()
              .flatMap(w -> w.requests.stream())
              .mapToDouble(SearchWalk.Request::millis)
              .sorted()
              .toArray();
      return all.length == 0 ? -1 : all[(all.length - 1) / 2];
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(String.format("%.1f s", seconds));
      walks.forEach(w -> s.append("\n  ").append(w));
      return s.toString();
    }
  }

  private SearchBenchmark() {}
}
