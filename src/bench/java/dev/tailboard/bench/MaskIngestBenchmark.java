package dev.tailboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What secret masking costs ingestion (run by {@code bench/masks.sh}): builds with 0, 10 and 100
 * registered values each take the same realistic CI lines in JSON chunks, the three configurations
 * taking turns round after round on one server, so drift hits all alike; lines/s accepted per
 * configuration (median of the rounds) and the cost against 0 values.
 */
public final class MaskIngestBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[] VALUES = {0, 10, 100};

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 5);
    int lines = Integer.getInteger("bench.lines", 100_000);
    int chunk = Integer.getInteger("bench.chunk", 1_000);
    HttpClient http = ServerProbe.http();
    Random random = new Random(42);
    List<byte[]> bodies = new ArrayList<>();
    for (int first = 1; first <= lines; first += chunk) {
      bodies.add(CiLogLines.chunk(first, Math.min(chunk, lines - first + 1)));
    }
    // one round untimed: the server's JIT and the store's pages warm up first
    for (int v : VALUES) {
      ingest(http, v, bodies.subList(0, Math.max(1, bodies.size() / 5)), random);
    }
    double[][] rates = new double[VALUES.length][rounds];
    double[][] cpu = new double[VALUES.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < VALUES.length; i++) {
        long cpuBefore = ServerProbe.cpuNanos();
        rates[i][r] = lines / ingest(http, VALUES[i], bodies, random);
        // the server's CPU time per line: steadier on a shared machine than lines/s
        cpu[i][r] = (ServerProbe.cpuNanos() - cpuBefore) / 1e3 / lines;
        System.out.printf(
            "round %d, %3d values: %,.0f lines/s, server CPU %.2f µs/line%n",
            r + 1, VALUES[i], rates[i][r], cpu[i][r]);
      }
    }
    System.out.println();
    System.out.printf(
        "| masking: registered values | lines/s accepted (median of %d rounds of %,d lines in"
            + " chunks of %,d) | against 0 values | server CPU µs/line (median) | against 0"
            + " values |%n|---|---|---|---|---|%n",
        rounds, lines, chunk);
    double base = median(rates[0]);
    double baseCpu = median(cpu[0]);
    for (int i = 0; i < VALUES.length; i++) {
      double m = median(rates[i]);
      double c = median(cpu[i]);
      System.out.printf(
          "| %d | %,.0f (rounds: %s) | %+.1f%% | %.2f | %+.1f%% |%n",
          VALUES[i], m, rounds(rates[i]), (m / base - 1) * 100, c, (c / baseCpu - 1) * 100);
    }
  }

  /** Seconds to append {@code bodies} to a fresh build with {@code values} secrets registered. */
  private static double ingest(HttpClient http, int values, List<byte[]> bodies, Random random)
      throws Exception {
    long build = IngestBenchmark.createBuild("bench/masks-" + values);
    if (values > 0) {
      List<String> secrets = new ArrayList<>();
      for (int i = 0; i < values; i++) {
        secrets.add("sk_live_" + Long.toHexString(random.nextLong()) + "-" + i);
      }
      HttpResponse<String> r =
          http.send(
              IngestBenchmark.request("/api/builds/" + build + "/masks")
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(30))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          JSON.writeValueAsString(Map.of("values", secrets))))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("masks: " + r.statusCode() + " " + r.body());
      }
    }
    long start = System.nanoTime();
    for (byte[] body : bodies) {
      IngestBenchmark.append(http, build, body);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static String rounds(double[] xs) {
    StringBuilder b = new StringBuilder();
    for (double x : xs) {
      b.append(b.length() == 0 ? "" : ", ").append(String.format("%,.0f", x));
    }
    return b.toString();
  }
}
