package dev.tailboard.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Short-lived system commands for the harness ({@link Postgres}, {@link Nginx}): run to the end,
 * output captured, a failure reported with that output.
 */
final class Commands {

  private Commands() {}

  /** What a finished command left: its exit code and its merged stdout and stderr. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** True when this JVM runs as root, where PostgreSQL refuses to run and nginx drops to a user. */
  static boolean runningAsRoot() {
    try {
      // /proc/self belongs to the process's effective user
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /** Runs the command to its end (at most the timeout, then it is killed) in the directory. */
  static Result run(Path dir, Duration timeout, List<String> command) throws IOException {
    // output to a file, not a pipe: a chatty command never blocks on it, and a hung one cannot
    // hold this thread in a read past the timeout
    Path out = Files.createTempFile("tailboard-command-", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new IOException(
              "timed out after " + timeout + ": " + command + "\n" + Files.readString(out));
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted: " + command, e);
      }
      return new Result(process.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Runs the command and returns its output, or throws with that output if it failed. */
  static String check(Path dir, Duration timeout, List<String> command) throws IOException {
    Result result = run(dir, timeout, command);
    if (!result.ok()) {
      throw new IOException(
          "exit code " + result.exitCode() + ": " + command + "\n" + result.output());
    }
    return result.output();
  }

  /** The command run as the given user through runuser when this JVM is root, else as is. */
  static List<String> asUser(String user, List<String> command) {
    if (!runningAsRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", user, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Deletes a directory and everything in it; what is already gone is no error. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
