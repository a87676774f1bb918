package dev.tailboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One client searching a build's whole log the way the page does: {@code GET .../log/search?q=}
 * from the start, then {@code from=next} until {@code next} is null. Whatever the server does per
 * request (all lines at once, or a budget of lines or time) the walk covers the whole log, so the
 * same walk gives figures before and after a budget. A 429 (the server caps concurrent searches)
 * ends the walk: it is counted, not retried, so the figure says how many were turned away.
 */
final class SearchWalk {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request: how long it took and how many lines it covered (up to its {@code next}). */
  record Request(double millis, long lines, int matches) {}

  final List<Request> requests = new ArrayList<>();
  final List<Long> matchLines = new ArrayList<>();
  long lineCount;
  int refused;
  String failure;
  double seconds;

  /**
   * Walks the search for {@code query} over a log of {@code lineCount} lines; at most {@code
   * maxRequests} requests of at most {@code timeout} each, so a server that never ends a walk ends
   * the benchmark's run instead of hanging it.
   */
  static SearchWalk run(
      HttpClient http, long build, String query, long lineCount, int maxRequests, Duration timeout)
      throws Exception {
    SearchWalk walk = new SearchWalk();
    walk.lineCount = lineCount;
    String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
    long from = 1;
    long start = System.nanoTime();
    while (walk.requests.size() < maxRequests) {
      String path =
          "/api/builds/" + build + "/log/search?q=" + q + (from > 1 ? "&from=" + from : "");
      long t = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              IngestBenchmark.request(path).timeout(timeout).build(),
              HttpResponse.BodyHandlers.ofString());
      double millis = (System.nanoTime() - t) / 1e6;
      if (r.statusCode() == 429) {
        walk.refused++;
        break;
      }
      if (r.statusCode() != 200) {
        walk.failure = r.statusCode() + " " + r.body();
        break;
      }
      JsonNode page = JSON.readTree(r.body());
      JsonNode matches = page.get("matches");
      matches.forEach(m -> walk.matchLines.add(m.get("line").asLong()));
      JsonNode next = page.get("next");
      long until = next == null || next.isNull() ? lineCount + 1 : next.asLong();
      walk.requests.add(new Request(millis, until - from, matches.size()));
      if (next == null || next.isNull()) {
        break;
      }
      if (until <= from) {
        walk.failure = "next " + until + " does not move past from " + from;
        break;
      }
      from = until;
    }
    walk.seconds = (System.nanoTime() - start) / 1e9;
    return walk;
  }

  /** Whether the walk reached the end of the log ({@code next} null). */
  boolean complete() {
    return failure == null && refused == 0 && linesCovered() == lineCount;
  }

  long linesCovered() {
    return requests.stream().mapToLong(Request::lines).sum();
  }

  double maxMillis() {
    return requests.stream().mapToDouble(Request::millis).max().orElse(-1);
  }

  double p50Millis() {
    double[] sorted = requests.stream().mapToDouble(Request::millis).sorted().toArray();
    return sorted.length == 0 ? -1 : sorted[(sorted.length - 1) / 2];
  }

  long minLinesPerRequest() {
    return requests.stream().mapToLong(Request::lines).min().orElse(0);
  }

  long maxLinesPerRequest() {
    return requests.stream().mapToLong(Request::lines).max().orElse(0);
  }

  @Override
  public String toString() {
    return String.format(
        "%d requests, %,d lines, %.1f s, max %.0f ms, p50 %.0f ms, lines/request %,d..%,d,"
            + " matches at %s%s%s",
        requests.size(),
        linesCovered(),
        seconds,
        maxMillis(),
        p50Millis(),
        minLinesPerRequest(),
        maxLinesPerRequest(),
        Arrays.toString(matchLines.stream().limit(5).toArray()),
        refused > 0 ? ", refused (429)" : "",
        failure != null ? ", failed: " + failure : "");
  }
}
