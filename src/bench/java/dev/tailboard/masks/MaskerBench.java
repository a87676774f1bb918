package dev.tailboard.masks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Not a test: prints how many typical CI log lines per second {@link Masker#mask} scans on one
 * thread with 0, 10 and 100 registered values, and what it allocates for lines without a secret.
 * Run by {@code bench/masker.sh [values...]} (one count per JVM gives steadier numbers).
 */
public final class MaskerBench {

  private static final String[] WORDS = {
    "[INFO]",
    "Downloading",
    "from",
    "central:",
    "https://repo.maven.apache.org/maven2/org/",
    "Compiling",
    "source",
    "files",
    "to",
    "/home/runner/work/app/target/classes",
    "npm",
    "WARN",
    "deprecated",
    "2026-12-01T10:12:01.123Z",
    "PASSED",
    "test_user_login",
    "(0.03s)",
    "ERROR:",
    "at",
    "com.example.Service.handle(Service.java:42)",
    "✓",
    "步骤",
    "done",
    "=",
    "{\"k\":",
    "\"v\"}",
    "--config",
    "build.gradle.kts",
    "Step",
    "3/12",
    ":",
    "RUN",
    "apt-get",
    "install",
    "-y"
  };

  public static void main(String[] args) {
    Random random = new Random(1);
    List<String> lines = new ArrayList<>();
    long chars = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder line = new StringBuilder();
      int length = 80 + random.nextInt(121);
      while (line.length() < length) {
        line.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      lines.add(line.toString());
      chars += line.length();
    }
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=!@#$%^&*";
    int[] counts = {0, 10, 100};
    if (args.length > 0) {
      counts = java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    }
    for (int values : counts) {
      List<String> secrets = new ArrayList<>();
      for (int v = 0; v < values; v++) {
        StringBuilder s = new StringBuilder();
        int n = 16 + random.nextInt(25);
        for (int i = 0; i < n; i++) {
          s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        secrets.add(s.toString());
      }
      long built = System.nanoTime();
      Masker masker = Masker.of(secrets);
      long buildMicros = (System.nanoTime() - built) / 1000;
      int forms = 0;
      for (String s : secrets) {
        forms += MaskForms.of(s).size();
      }
      int changed = 0;
      // warm up, then time whole passes over the lines
      for (int w = 0; w < 30; w++) {
        for (String line : lines) {
          if (masker.mask(line) != line) {
            changed++;
          }
        }
      }
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
      long start = System.nanoTime();
      long scanned = 0;
      int passes = 0;
      while (System.nanoTime() - start < 3_000_000_000L) {
        for (String line : lines) {
          if (masker.mask(line) != line) {
            changed++;
          }
        }
        scanned += lines.size();
        passes++;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
      System.out.printf(
          "%3d values (%4d forms, built in %6d µs): %,12.0f lines/s, %,6.0f MB chars/s, "
              + "%.3f bytes allocated per line, %d lines changed%n",
          values,
          forms,
          buildMicros,
          scanned / seconds,
          chars * (double) passes / seconds / 1e6,
          allocated / (double) scanned,
          changed);
    }
  }
}
