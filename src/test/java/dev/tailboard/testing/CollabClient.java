package dev.tailboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code src/test/node/collab-client/collab.mjs}: two real {@code @codemirror/collab} editors in
 * one Node process typing at once into a room (see the script's header for what it checks). Needs
 * {@code node} and {@code npm} on the PATH; installs the client's locked packages with {@code npm
 * ci} when they are missing.
 */
public final class CollabClient {

  private static final Path CLIENT = baseDir().resolve("src/test/node/collab-client");
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);

  private CollabClient() {}

  /** What one run printed and how it ended. */
  public record Run(List<String> command, int exitCode, String output) {

    /** The last JSON line it printed: the summary of a successful run. */
    public JsonNode summary() throws IOException {
      String line =
          output
              .lines()
              .filter(l -> l.startsWith("{"))
              .reduce((first, second) -> second)
              .orElseThrow(() -> new AssertionError("no summary line in:\n" + output));
      return new ObjectMapper().readTree(line);
    }

    /**
     * Asserts the run passed in a fresh room: both editors ended equal, at least 100 edits, some
     * rejected and rebased, the version counting every edit. Returns its summary.
     */
    public JsonNode converged() throws IOException {
      assertThat(exitCode).as("%s exit code; its output:%n%s", command, output).isZero();
      JsonNode summary = summary();
      assertThat(summary.path("equal").asBoolean()).as("%s", summary).isTrue();
      assertThat(summary.path("edits").asInt()).as("%s", summary).isGreaterThanOrEqualTo(100);
      assertThat(summary.path("rejects").asInt()).as("%s", summary).isGreaterThanOrEqualTo(1);
      assertThat(summary.path("version").asInt())
          .as("a fresh room's version counts every accepted edit: %s", summary)
          .isEqualTo(summary.path("edits").asInt());
      return summary;
    }
  }

  /**
   * Runs {@code node collab.mjs ARGS} (installing the client first if needed) until it ends, signed
   * in (COLLAB_TOKEN: a token of {@code collab} reading every project), as writing needs.
   */
  public static Run run(String... args) throws Exception {
    installIfMissing();
    List<String> command = new ArrayList<>(List.of("node", "collab.mjs"));
    command.addAll(List.of(args));
    return run(command, CLIENT_TIMEOUT);
  }

  private static void installIfMissing() throws Exception {
    if (Files.isDirectory(CLIENT.resolve("node_modules"))) {
      return;
    }
    Run npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), NPM_TIMEOUT);
    if (npm.exitCode() != 0) {
      fail("npm ci in %s failed with exit code %d:%n%s", CLIENT, npm.exitCode(), npm.output());
    }
  }

  /** Runs a command in the client's folder; stdout and stderr together. */
  private static Run run(List<String> command, Duration timeout) throws Exception {
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true);
      builder
          .environment()
          .putIfAbsent("COLLAB_TOKEN", ItServer.token("collab", "read:**", Duration.ofHours(1)));
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot start " + command + " (is " + command.get(0) + " on the PATH?): " + e, e);
    }
    process.getOutputStream().close();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader =
        new Thread(() -> copy(process.getInputStream(), output), "collab-client-output");
    reader.setDaemon(true);
    reader.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      reader.join(5_000);
      fail("%s did not end within %s; its output:%n%s", command, timeout, text(output));
    }
    reader.join(10_000);
    return new Run(command, process.exitValue(), text(output));
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        synchronized (out) {
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static Path baseDir() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  }
}
