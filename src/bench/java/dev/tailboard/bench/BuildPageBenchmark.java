package dev.tailboard.bench;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.Chromium;
import dev.tailboard.testing.ItServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The build page with a finished build of N lines (default 1,000,000), run by {@code
 * bench/page.sh}: time from opening the page to its last line on screen (the page opens a long log
 * at its tail), time to load the whole log, and the page's JS heap after a full GC, before and
 * after scrolling through the whole log, in headless Chromium.
 */
public final class BuildPageBenchmark {

  public static void main(String[] args) throws Exception {
    int lines = Integer.getInteger("bench.lines", 1_000_000);
    int chunk = 10_000;
    Api api = Api.publisher();
    long build = api.createBuild("bench/page");
    long publishStart = System.nanoTime();
    for (int sent = 0; sent < lines; sent += chunk) {
      api.append(
          build, Api.lines("\u001b[32mok\u001b[0m line of the log, number", sent + 1, chunk));
    }
    api.status(build, "passed");
    System.out.printf(
        "published %,d lines in %.1f s%n", lines, (System.nanoTime() - publishStart) / 1e9);

    Path profile = Chromium.newProfile();
    ChromeDriver driver =
        Chromium.start(
            Chromium.options(profile, "--enable-precise-memory-info", "--js-flags=--expose-gc"));
    try {
      long open = System.nanoTime();
      driver.get(ItServer.baseUrl() + "/builds/" + build);
      awaitLine(driver, lines);
      double tailSeconds = (System.nanoTime() - open) / 1e9;
      long heapAtTail = heap(driver);

      // The whole log, as "Load the whole log" streams it (the page follows to its end again).
      long all = System.nanoTime();
      // the button sits above the log while the page shows its end: click it where it is
      driver.executeScript("document.getElementById('load-all').click()");
      Awaitility.await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  !driver.findElement(By.id("partial")).isDisplayed()
                      && !driver.findElements(By.id("L" + lines)).isEmpty());
      double allSeconds = (System.nanoTime() - all) / 1e9;
      long heapAtEnd = heap(driver);
      List<Long> lineElements = new ArrayList<>();
      for (int step = 0; step <= 50; step++) {
        driver.executeScript(
            "window.scrollTo(0, document.documentElement.scrollHeight * arguments[0] / 50)", step);
        driver.executeScript("return new Promise(r => requestAnimationFrame(() => r()))");
        lineElements.add(
            (Long) driver.executeScript("return document.querySelectorAll('.line').length"));
      }
      long heapAfterScroll = heap(driver);
      System.out.println();
      System.out.println("| scenario | figure |\n|---|---|");
      System.out.printf(
          "| open a finished %,d-line build → last line on screen (its last 10,000 lines) | %.2f s |%n",
          lines, tailSeconds);
      System.out.printf(
          "| page JS heap after GC with the tail loaded | %.1f MiB |%n", heapAtTail / 1048576.0);
      System.out.printf(
          "| \"Load the whole log\" → all %,d lines loaded, last line on screen | %.2f s |%n",
          lines, allSeconds);
      System.out.printf(
          "| page JS heap after GC: whole log at the tail / after scrolling top to bottom in 50 steps | %.1f / %.1f MiB |%n",
          heapAtEnd / 1048576.0, heapAfterScroll / 1048576.0);
      System.out.printf(
          "| line elements in the DOM while scrolling (max) | %d |%n",
          lineElements.stream().mapToLong(Long::longValue).max().orElse(0));
    } finally {
      driver.quit();
    }
    System.exit(0);
  }

  private static void awaitLine(ChromeDriver driver, int n) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !driver.findElements(By.id("L" + n)).isEmpty());
  }

  private static long heap(ChromeDriver driver) {
    driver.executeScript("if (window.gc) { window.gc(); }");
    return (Long) driver.executeScript("return performance.memory.usedJSHeapSize");
  }

  private BuildPageBenchmark() {}
}
