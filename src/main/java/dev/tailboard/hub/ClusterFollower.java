package dev.tailboard.hub;

import dev.tailboard.config.Threads;
import dev.tailboard.store.Build;
import dev.tailboard.store.ClusterBus;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.StoredEvent;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings other nodes' events to this node's subscribers. A wake-up names a build and its newest id;
 * if this node follows the build, one read from the store after the highest id it fanned out gets
 * the new events for all its subscribers at once. Wake-ups of one build that come while a read is
 * queued or running fold into the next read. Reads run on {@code tailboard-cluster-read}, never on
 * the bus's thread, under the build's stripe lock, so local publishes and reads of one build reach
 * subscribers in one order (a subscriber that still sees a gap reads the store itself).
 */
final class ClusterFollower implements ClusterBus.Listener {

  static final String BUILD_CHANNEL = "b:";
  static final String FEED_CHANNEL = "f:";

  private static final Logger LOG = Logger.getLogger(ClusterFollower.class.getName());

  private final EventHub hub;
  private final ThreadPoolExecutor readers;

  /** Per build: the newest id announced and not read yet; present while a read is queued. */
  private final ConcurrentHashMap<Long, Long> builds = new ConcurrentHashMap<>();

  /** Builds whose summaries changed on another node, to be read for the global feed. */
  private final ConcurrentHashMap<Long, Boolean> summaries = new ConcurrentHashMap<>();

  ClusterFollower(EventHub hub) {
    this.hub = hub;
    this.readers =
        Threads.pool(
            "tailboard-cluster-read",
            2,
            new LinkedBlockingQueue<>(100_000),
            new ThreadPoolExecutor.AbortPolicy());
  }

  @Override
  public void announced(String channel, long position) {
    if (channel.startsWith(BUILD_CHANNEL)) {
      wake(Long.parseLong(channel.substring(BUILD_CHANNEL.length())), position);
    } else if (channel.startsWith(FEED_CHANNEL) && hub.followsFeed()) {
      long id = Long.parseLong(channel.substring(FEED_CHANNEL.length()));
      if (summaries.putIfAbsent(id, Boolean.TRUE) == null) {
        run(() -> summary(id));
      }
    }
  }

  /** Missed wake-ups are in the store: every followed build is read up to its newest event. */
  @Override
  public void reconnected() {
    for (long buildId : hub.followedBuilds()) {
      hub.store().findBuild(buildId).ifPresent(b -> wake(buildId, b.lastEventId()));
    }
  }

  void stop() {
    readers.shutdownNow();
    try {
      readers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void wake(long buildId, long position) {
    if (!hub.follows(buildId)) {
      return;
    }
    boolean[] first = {false};
    builds.compute(
        buildId,
        (id, known) -> {
          first[0] = known == null;
          return known == null ? position : Math.max(known, position);
        });
    if (first[0]) {
      run(() -> read(buildId));
    }
  }

  private void run(Runnable task) {
    try {
      readers.execute(task);
    } catch (RejectedExecutionException e) {
      // undeploying: nobody is left to deliver to
    }
  }

  private void read(long buildId) {
    Long position = builds.remove(buildId);
    if (position == null) {
      return;
    }
    ReentrantLock lock = hub.lockOf(buildId);
    lock.lock();
    try {
      readUpTo(buildId, position);
    } catch (RuntimeException e) {
      // the subscribers see the gap at the next event and read the store themselves
      LOG.log(Level.WARNING, "events of build " + buildId + " from another node not read", e);
    } finally {
      lock.unlock();
    }
  }

  private void readUpTo(long buildId, long position) {
    EventStore store = hub.store();
    HubLimits limits = hub.limits();
    long head = hub.head(buildId);
    if (head < 0) {
      hub.fanOutFromStore(buildId, List.of(), 0); // long-polls only: they read for themselves
      return;
    }
    while (head < position) {
      List<StoredEvent> page =
          store.readEvents(buildId, head, position, limits.replayPage(), limits.replayPageBytes());
      if (page.isEmpty()) {
        return;
      }
      long endAt = 0;
      if (page.stream().anyMatch(e -> "status".equals(e.type()))) {
        Optional<Build> build = store.findBuild(buildId);
        if (build.isPresent() && build.get().finished()) {
          endAt = build.get().lastEventId();
        }
      }
      hub.fanOutFromStore(buildId, page, endAt);
      head = page.get(page.size() - 1).id();
    }
  }

  private void summary(long buildId) {
    summaries.remove(buildId);
    try {
      hub.store().findBuild(buildId).ifPresent(hub::announceHere);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "summary of build " + buildId + " from another node not read", e);
    }
  }
}
