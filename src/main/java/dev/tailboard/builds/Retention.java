package dev.tailboard.builds;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.config.Threads;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.RoomStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes finished builds {@code retention.days} after they finished, with their events, log and
 * their room's stored messages and documents ({@code 0} days keeps everything). It runs every
 * {@code retention.intervalSeconds} on a thread of its own, {@code retention.batchSize} builds per
 * transaction, so no transaction holds many locks or a long log of undo, and ingest goes on between
 * batches. Every node of a cluster runs it; the deletes are idempotent.
 */
@ApplicationScoped
public class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class.getName());

  @Inject Config config;
  @Inject EventStore builds;
  @Inject RoomStore rooms;

  private ScheduledExecutorService executor;

  /** Starts the schedule with the application; the first run is one interval after the start. */
  void onStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
    start();
  }

  synchronized void start() {
    if (config.integer(Setting.RETENTION_DAYS) <= 0 || executor != null) {
      return;
    }
    long interval = Math.max(1, config.integer(Setting.RETENTION_INTERVAL_SECONDS));
    executor = Threads.scheduler("tailboard-retention");
    executor.scheduleWithFixedDelay(this::run, interval, interval, TimeUnit.SECONDS);
  }

  @PreDestroy
  synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** Awaits the end of a run that {@link #stop()} interrupted; for tests. */
  boolean awaitStopped(Duration timeout) throws InterruptedException {
    return executor == null || executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    try {
      int deleted = deleteExpired(Instant.now());
      if (deleted > 0) {
        LOG.info(() -> "Retention deleted " + deleted + " finished builds");
      }
    } catch (RuntimeException e) {
      // the next run tries again; a schedule whose task throws would never run again
      LOG.log(Level.WARNING, "Retention failed; it tries again next interval", e);
    }
  }

  /**
   * Deletes, batch by batch, every build that finished more than {@code retention.days} before
   * {@code now}; returns how many. A batch's rooms go first, so a run broken off in between leaves
   * its builds to the next run instead of room history nobody can reach.
   */
  int deleteExpired(Instant now) {
    int days = config.integer(Setting.RETENTION_DAYS);
    if (days <= 0) {
      return 0;
    }
    long cutoff = now.minus(Duration.ofDays(days)).toEpochMilli();
    int batch = Math.max(1, config.integer(Setting.RETENTION_BATCH_SIZE));
    int deleted = 0;
    while (!Thread.currentThread().isInterrupted()) {
      List<Long> ids = builds.finishedBefore(cutoff, batch);
      if (ids.isEmpty()) {
        break;
      }
      rooms.deleteRooms(ids.stream().map(RoomStore::buildRoom).toList());
      deleted += builds.deleteFinished(ids);
      if (ids.size() < batch) {
        break;
      }
    }
    return deleted;
  }
}
