package dev.tailboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What changed since the last green run, timed (run by {@code bench/diff.sh}): two builds of one
 * project of N realistic CI lines each (default 100,000, {@link CiLogLines}), the first passed, the
 * second failed; the second is the first with every timestamp a day and some hours later, every
 * duration different, and one line in each {@code bench.newEvery} (default 10,000) replaced by a
 * line of its own. Then {@code GET /api/builds/{red}/diff?against=last-passed}, {@code bench.runs}
 * times (default 7, one after another): the time of each request (client side, the whole answer
 * received), and a check that the answer holds exactly the replaced lines.
 */
public final class DiffBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MILLIS = Pattern.compile("(\\d+) ms");

  public static void main(String[] args) throws Exception {
    long lines = Long.getLong("bench.diffLines", 100_000);
    int chunk = Integer.getInteger("bench.chunkLines", 10_000);
    int newEvery = Integer.getInteger("bench.newEvery", 10_000);
    int runs = Integer.getInteger("bench.runs", 7);
    HttpClient http = ServerProbe.http();
    String project = "bench/diff-" + System.currentTimeMillis();

    long start = System.nanoTime();
    long green = IngestBenchmark.createBuild(project);
    publish(http, green, lines, chunk, n -> CiLogLines.line(n));
    status(http, green, "passed");
    long red = IngestBenchmark.createBuild(project);
    List<Long> expected = new ArrayList<>();
    publish(
        http,
        red,
        lines,
        chunk,
        n -> {
          if (n % newEvery == 0) {
            expected.add(n);
            return "\u001b[1;31merror:\u001b[0m new failure number " + n + " in this run only";
          }
          return rerun(CiLogLines.line(n));
        });
    status(http, red, "failed");
    System.out.printf(
        "two builds of %,d lines published in %.1f s%n", lines, (System.nanoTime() - start) / 1e9);

    double[] millis = new double[runs];
    int found = -1;
    boolean exact = true;
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              IngestBenchmark.request("/api/builds/" + red + "/diff?against=last-passed").build(),
              HttpResponse.BodyHandlers.ofString());
      millis[i] = (System.nanoTime() - t) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("diff answered " + r.statusCode() + ": " + r.body());
      }
      JsonNode diff = JSON.readTree(r.body());
      List<Long> got = new ArrayList<>();
      diff.get("lines").forEach(l -> got.add(l.get("line").asLong()));
      found = got.size();
      exact &= got.equals(expected) && !diff.has("truncated");
      System.out.printf("run %d: %.0f ms, %d new lines%n", i + 1, millis[i], found);
    }
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    double median = sorted[runs / 2];
    System.out.println();
    System.out.println("| diff: figure | value |\n|---|---|");
    System.out.printf(
        "| logs | 2 × %,d lines; %d new lines expected, %d found, exactly those: %s |%n",
        lines, expected.size(), found, exact);
    System.out.printf(
        "| GET /diff?against=last-passed, %d runs | min %.0f ms, median %.0f ms, max %.0f ms |%n",
        runs, sorted[0], median, sorted[runs - 1]);
    ServerProbe.record(
        "diff",
        ServerProbe.figures(
            "lines", lines,
            "runs", runs,
            "minMs", sorted[0],
            "medianMs", median,
            "maxMs", sorted[runs - 1],
            "newLines", found,
            "exact", exact));
    System.exit(exact ? 0 : 1);
  }

  /** The same line in another run: a day and some hours later, every duration 7 ms longer. */
  static String rerun(String line) {
    String later = line.replace("2026-12-01T07:", "2026-12-02T13:");
    Matcher m = MILLIS.matcher(later);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, (Long.parseLong(m.group(1)) + 7) + " ms");
    }
    return m.appendTail(out).toString();
  }

  private static void publish(
      HttpClient http,
      long build,
      long lines,
      int chunk,
      java.util.function.LongFunction<String> line)
      throws Exception {
    for (long first = 1; first <= lines; first += chunk) {
      List<String> batch = new ArrayList<>(chunk);
      for (long n = first; n < first + chunk && n <= lines; n++) {
        batch.add(line.apply(n));
      }
      IngestBenchmark.append(http, build, JSON.writeValueAsBytes(Map.of("lines", batch)));
    }
  }

  private static void status(HttpClient http, long build, String status) throws Exception {
    HttpResponse<String> r =
        http.send(
            IngestBenchmark.request("/api/builds/" + build + "/status")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("status answered " + r.statusCode() + ": " + r.body());
    }
  }
}
