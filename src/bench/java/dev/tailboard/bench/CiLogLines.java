package dev.tailboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Log lines as a CI job prints them: 80 to 120 characters, a timestamp, some with ANSI colours
 * (levels, test results), compiler and test output. Deterministic (line number → text), so a run
 * searches the same log every time, and free of the words the benchmarks search for.
 */
final class CiLogLines {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESET = "\u001b[0m";
  private static final String[] LEVELS = {
    "\u001b[32mINFO" + RESET, "\u001b[33mWARN" + RESET, "\u001b[1;31mERROR" + RESET, "DEBUG"
  };
  private static final String[] MODULES = {"core", "api", "web", "store", "hub", "rooms", "cli"};

  private CiLogLines() {}

  /** Line {@code n} (1-based) of the log. */
  static String line(long n) {
    String module = MODULES[(int) (n % MODULES.length)];
    String time =
        String.format("2026-12-01T07:%02d:%02d.%03dZ", n / 60_000 % 60, n / 1000 % 60, n % 1000);
    return switch ((int) (n % 8)) {
      case 0, 1, 2 ->
          String.format(
              "%s [%s] %s Compiling %s/src/main/java/dev/tailboard/%s/Unit%05d.java (%d ms)",
              time,
              LEVELS[(int) (n % 31 == 0 ? 1 : 0)],
              module,
              module,
              module,
              n % 99_991,
              n % 97);
      case 3, 4 ->
          String.format(
              "%s [%s] Tests run: %d, Failures: 0, Errors: 0, Skipped: %d, in dev.tailboard.%s.Case%04dTest",
              time, LEVELS[0], n % 40 + 1, n % 3, module, n % 9_973);
      case 5 ->
          String.format(
              "%s \u001b[32m✔\u001b[0m %s › handles request %d within budget \u001b[2m(%d ms)\u001b[0m",
              time, module, n % 10_007, n % 250);
      case 6 ->
          String.format(
              "%s [%s] Downloaded from central: https://repo.maven.apache.org/maven2/org/x/%s/%d.jar",
              time, LEVELS[3], module, n % 613);
      default ->
          String.format(
              "%s [%s] %s: slow step %d took %d ms; retrying with backoff (attempt %d of 5)",
              time, LEVELS[n % 113 == 0 ? 2 : 1], module, n % 1_009, n % 5_000, n % 5 + 1);
    };
  }

  /** The JSON body of one append of lines {@code first}..{@code first + count - 1}. */
  static byte[] chunk(long first, int count) throws Exception {
    List<String> lines = new ArrayList<>(count);
    for (long n = first; n < first + count; n++) {
      lines.add(line(n));
    }
    return JSON.writeValueAsBytes(Map.of("lines", lines));
  }

  /** The same chunk with its last line replaced by {@code last}. */
  static byte[] chunkEndingWith(long first, int count, String last) throws Exception {
    List<String> lines = new ArrayList<>(count);
    for (long n = first; n < first + count - 1; n++) {
      lines.add(line(n));
    }
    lines.add(last);
    return JSON.writeValueAsBytes(Map.of("lines", lines));
  }
}
