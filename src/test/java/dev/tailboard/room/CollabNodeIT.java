package dev.tailboard.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailboard.testing.ItServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shared notes of SPEC §6 against real {@code @codemirror/collab} clients: {@code
 * src/test/node/collab-client/collab.mjs} runs two CodeMirror editors in one Node process that type
 * at the same time into a fresh room of the real WAR, pushing without waiting for each other, so
 * pushes are rejected and rebased; it checks that both editors and a newcomer's welcome end with
 * the same text at the same version. Needs {@code node} and {@code npm} on the PATH; installs the
 * client's locked packages with {@code npm ci} when they are missing.
 */
class CollabNodeIT {

  private static final Path CLIENT = baseDir().resolve("src/test/node/collab-client");
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);

  @Test
  void twoCodeMirrorClientsTypingAtOnceConvergeOnTheServersText() throws Exception {
    installClientIfMissing();
    String wsBase = ItServer.baseUrl().replaceFirst("^http", "ws");
    String room = "collab-it-" + UUID.randomUUID().toString().substring(0, 8);

    Run run = run(List.of("node", "collab.mjs", wsBase, room), CLIENT_TIMEOUT);

    assertThat(run.exitCode())
        .as("node collab.mjs %s %s exit code; its output:%n%s", wsBase, room, run.output())
        .isZero();
    String summaryLine =
        run.output()
            .lines()
            .filter(line -> line.startsWith("{"))
            .reduce((first, second) -> second)
            .orElseThrow(() -> new AssertionError("no summary line in:\n" + run.output()));
    System.out.println("collab.mjs " + room + ": " + summaryLine);
    JsonNode summary = new ObjectMapper().readTree(summaryLine);
    assertThat(summary.path("equal").asBoolean()).as(summaryLine).isTrue();
    assertThat(summary.path("edits").asInt()).as(summaryLine).isGreaterThanOrEqualTo(100);
    assertThat(summary.path("rejects").asInt()).as(summaryLine).isGreaterThanOrEqualTo(1);
    assertThat(summary.path("version").asInt())
        .as("a fresh room's version counts every accepted edit: %s", summaryLine)
        .isEqualTo(summary.path("edits").asInt());
  }

  private static void installClientIfMissing() throws Exception {
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
      process =
          new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true).start();
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
    return new Run(process.exitValue(), text(output));
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

  private record Run(int exitCode, String output) {}
}
