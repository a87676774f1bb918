package dev.tailboard.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waiting for a page to get somewhere: polls {@code condition} every 50 ms until it holds, taking a
 * missing or stale element (an exception from the driver) as "not yet".
 */
public final class PageWait {

  private PageWait() {}

  public static void until(Duration atMost, Callable<Boolean> condition) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(condition);
  }
}
