package dev.tailboard.builds;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.support.ProblemException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The server-wide cap on log searches running at once ({@code search.maxConcurrent}): a search
 * holds a request thread and a database connection for up to its time budget, so many at once would
 * starve ingest and streams. A search that finds no free slot is answered 429 at once instead of
 * waiting, since a waiting request holds its thread too.
 */
@ApplicationScoped
public class SearchSlots {

  @Inject Config config;

  private Semaphore slots;

  /** A slot taken; closing it gives it back. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  @PostConstruct
  void init() {
    slots = new Semaphore(config.integer(Setting.SEARCH_MAX_CONCURRENT));
  }

  /** A free slot, or empty when {@code search.maxConcurrent} searches run. */
  Optional<Slot> tryTake() {
    if (!slots.tryAcquire()) {
      return Optional.empty();
    }
    AtomicBoolean held = new AtomicBoolean(true);
    return Optional.of(
        () -> {
          if (held.getAndSet(false)) { // a second close must not free a slot never taken
            slots.release();
          }
        });
  }

  /** Work that scans a log and returns the entity of a 200 answer. */
  @FunctionalInterface
  interface Scan {
    Object run() throws IOException;
  }

  /**
   * {@code scan}'s result as a 200 answer, run holding a slot that is given back after; or, when no
   * slot is free, {@link #busy()} without running it.
   */
  Response answer(Scan scan) throws IOException {
    Optional<Slot> slot = tryTake();
    if (slot.isEmpty()) {
      return busy();
    }
    try (Slot taken = slot.get()) {
      return Response.ok(scan.run()).build();
    }
  }

  /** The answer when no slot is free: 429, to try again after a search's time budget. */
  Response busy() {
    long budget = config.integer(Setting.SEARCH_BUDGET_MILLIS);
    long retryAfter = Math.max(1, (budget + 999) / 1000);
    return Response.fromResponse(
            new ProblemException(
                    429,
                    "Too Many Requests",
                    config.integer(Setting.SEARCH_MAX_CONCURRENT)
                        + " log searches are running (search.maxConcurrent); try again later")
                .toResponse())
        .header("Retry-After", retryAfter)
        .build();
  }
}
