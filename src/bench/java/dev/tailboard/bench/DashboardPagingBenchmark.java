package dev.tailboard.bench;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.Chromium;
import dev.tailboard.testing.ItServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard past its first page at the size (run by {@code bench/dashboard.sh}): N
 * builds (default 20,000, created by 4 clients at once on a fresh server), the dashboard opened in
 * headless Chromium, "Older" clicked until the oldest build's row is there: time to the first page,
 * per click and in all, and the rows in the table at the end.
 */
public final class DashboardPagingBenchmark {

  public static void main(String[] args) throws Exception {
    int builds = Integer.getInteger("bench.builds", 20_000);
    int clients = 4;
    long start = System.nanoTime();
    List<Long> ids = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<Long>>> parts = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int share = builds / clients + (c < builds % clients ? 1 : 0);
        parts.add(
            pool.submit(
                () -> {
                  Api api = Api.publisher();
                  List<Long> made = new ArrayList<>();
                  for (int i = 0; i < share; i++) {
                    made.add(api.createBuild("bench/dashboard"));
                  }
                  return made;
                }));
      }
      for (Future<List<Long>> part : parts) {
        ids.addAll(part.get());
      }
    } finally {
      pool.shutdown();
    }
    long oldest = ids.stream().mapToLong(Long::longValue).min().orElseThrow();
    System.out.printf(
        "created %,d builds in %.1f s (oldest #%d)%n",
        ids.size(), (System.nanoTime() - start) / 1e9, oldest);

    Path profile = Chromium.newProfile();
    ChromeDriver driver = Chromium.start(Chromium.options(profile));
    try {
      long open = System.nanoTime();
      driver.get(ItServer.baseUrl() + "/");
      await(() -> rows(driver) >= 100);
      double first = (System.nanoTime() - open) / 1e9;
      int clicks = 0;
      long paging = System.nanoTime();
      double slowest = 0;
      while (driver
          .findElements(By.cssSelector("#builds tbody tr[data-id='" + oldest + "']"))
          .isEmpty()) {
        int before = rows(driver);
        long click = System.nanoTime();
        driver.executeScript("document.getElementById('older').click()");
        await(() -> rows(driver) > before);
        slowest = Math.max(slowest, (System.nanoTime() - click) / 1e9);
        clicks++;
      }
      double all = (System.nanoTime() - paging) / 1e9;
      boolean olderHidden = !driver.findElement(By.id("older")).isDisplayed();
      System.out.println();
      System.out.println("| dashboard: figure | value |\n|---|---|");
      System.out.printf("| builds | %,d |%n", ids.size());
      System.out.printf("| open the dashboard → first page (100 rows) | %.2f s |%n", first);
      System.out.printf(
          "| \"Older\" until the oldest build's row is there | %d clicks, %.1f s in all, %.0f ms per"
              + " click on average, slowest %.0f ms |%n",
          clicks, all, all * 1000 / Math.max(1, clicks), slowest * 1000);
      System.out.printf(
          "| rows in the table at the end; \"Older\" hidden | %,d; %s |%n",
          rows(driver), olderHidden);
    } finally {
      driver.quit();
    }
    System.exit(0);
  }

  private static int rows(ChromeDriver driver) {
    return ((Long)
            driver.executeScript("return document.querySelectorAll('#builds tbody tr').length"))
        .intValue();
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(10))
        .until(condition);
  }

  private DashboardPagingBenchmark() {}
}
