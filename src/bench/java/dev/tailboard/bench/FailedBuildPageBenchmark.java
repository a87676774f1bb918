package dev.tailboard.bench;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.Chromium;
import dev.tailboard.testing.ItServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Failure first at scale (run by {@code bench/failed-page.sh}): a failed build of N lines (default
 * 1,000,000, chunks of 10,000) whose only error line sits at {@code bench.errorAt} (default
 * 600,000), opened in headless Chromium with a fresh profile, several times: the time from asking
 * for the page to its first error line being inside the viewport.
 */
public final class FailedBuildPageBenchmark {

  public static void main(String[] args) throws Exception {
    int lines = Integer.getInteger("bench.lines", 1_000_000);
    int errorAt = Integer.getInteger("bench.errorAt", 600_000);
    int opens = Integer.getInteger("bench.opens", 5);
    int chunk = 10_000;
    Api api = Api.publisher();
    long build = api.createBuild("bench/failed-page");
    long publishStart = System.nanoTime();
    for (int sent = 0; sent < lines; sent += chunk) {
      List<String> part = Api.lines("ok line of the log, number", sent + 1, chunk);
      if (errorAt > sent && errorAt <= sent + chunk) {
        part = new ArrayList<>(part);
        part.set(errorAt - sent - 1, "error: expected 3 but was 4 (line " + errorAt + ")");
      }
      api.append(build, part);
    }
    api.status(build, "failed");
    System.out.printf(
        "published %,d lines in %.1f s; summary: %s%n",
        lines, (System.nanoTime() - publishStart) / 1e9, api.build(build).path("firstErrorLine"));

    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < opens; i++) {
      Path profile = Chromium.newProfile();
      ChromeDriver driver = Chromium.start(Chromium.options(profile));
      try {
        long open = System.nanoTime();
        driver.get(ItServer.baseUrl() + "/builds/" + build);
        Awaitility.await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> inView(driver, errorAt));
        seconds.add((System.nanoTime() - open) / 1e9);
        System.out.printf("open %d: first error in view after %.2f s%n", i + 1, seconds.get(i));
      } finally {
        driver.quit();
      }
    }
    seconds.sort(Double::compare);
    System.out.println();
    System.out.println("| failure first: figure | value |\n|---|---|");
    System.out.printf(
        "| open a failed %,d-line build (error at line %,d) → first error inside the viewport,"
            + " %d opens, fresh browser profile each | min %.2f s, median %.2f s, max %.2f s |%n",
        lines,
        errorAt,
        opens,
        seconds.get(0),
        seconds.get(seconds.size() / 2),
        seconds.get(seconds.size() - 1));
    System.exit(0);
  }

  private static boolean inView(ChromeDriver driver, int n) {
    return Boolean.TRUE.equals(
        driver.executeScript(
            "const el = document.getElementById('L' + arguments[0]);"
                + " if (!el) return false; const r = el.getBoundingClientRect();"
                + " return r.top >= 0 && r.bottom <= window.innerHeight;",
            n));
  }

  private FailedBuildPageBenchmark() {}
}
