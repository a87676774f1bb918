package dev.tailboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a benchmark reads off the server it drives, and where it writes its figures.
 *
 * <ul>
 *   <li>{@code bench.serverPid}: the server's process (a JVM, or Node), for RSS and CPU time from
 *       {@code /proc} (and its thread count), and for the heap after a full GC through {@code
 *       jcmd};
 *   <li>{@code bench.heapUrl}: instead of jcmd, a URL that runs a full GC and answers {@code
 *       process.memoryUsage()} (the Node peer);
 *   <li>{@code bench.server}, {@code bench.results}: the server's name and a file to which each
 *       scenario appends one JSON line of figures (bench/all.sh collects them).
 * </ul>
 */
final class ServerProbe {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PID = Long.getLong("bench.serverPid", -1);
  private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

  private ServerProbe() {}

  /**
   * An HTTP/1.1 client: the JDK's default offers an h2c upgrade, which the three servers would
   * answer differently; all of them get the same HTTP/1.1 requests.
   */
  static HttpClient http() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Live heap after a full GC, in bytes; -1 when unknown. */
  static long heapAfterGc() throws IOException, InterruptedException {
    String url = System.getProperty("bench.heapUrl");
    if (url != null) {
      HttpResponse<String> r =
          ServerProbe.http()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body()).get("heapUsed").asLong();
    }
    if (PID < 0) {
      return -1;
    }
    run("jcmd", Long.toString(PID), "GC.run");
    String info = run("jcmd", Long.toString(PID), "GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
  }

  /** Writes the class histogram (jcmd GC.class_histogram) to {@code file}.SERVER, if given. */
  static void histogram(String file) throws IOException, InterruptedException {
    if (file != null && PID >= 0) {
      Files.writeString(
          Path.of(file + "." + System.getProperty("bench.server", "tailboard")),
          run("jcmd", Long.toString(PID), "GC.class_histogram"));
    }
  }

  /** Resident set size of the server process, in bytes; -1 when unknown. */
  static long rss() throws IOException {
    long kib = status("VmRSS:");
    return kib < 0 ? -1 : kib * 1024;
  }

  /** Threads of the server process (a JVM's, or Node's workers and libuv pool); -1 when unknown. */
  static long threads() throws IOException {
    return status("Threads:");
  }

  /** The number of a field of {@code /proc/PID/status}; -1 when unknown. */
  private static long status(String field) throws IOException {
    if (PID < 0) {
      return -1;
    }
    for (String line : Files.readAllLines(Path.of("/proc/" + PID + "/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  /** User plus system CPU time the server process has used, in nanoseconds; -1 when unknown. */
  static long cpuNanos() throws IOException {
    if (PID < 0) {
      return -1;
    }
    String stat = Files.readString(Path.of("/proc/" + PID + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after the command: state is field 3, so utime (14) and stime (15) are at 11 and 12
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 1_000_000_000L / CLOCK_TICKS;
  }

  /** Appends one scenario's figures to {@code bench.results}, if set. */
  static void record(String scenario, Map<String, Object> figures) throws IOException {
    String file = System.getProperty("bench.results");
    if (file == null) {
      return;
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("server", System.getProperty("bench.server", "tailboard"));
    row.put("scenario", scenario);
    row.putAll(figures);
    Files.writeString(
        Path.of(file),
        JSON.writeValueAsString(row) + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  /** An ordered map of name, value pairs. */
  static Map<String, Object> figures(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}
