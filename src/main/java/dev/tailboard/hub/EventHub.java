package dev.tailboard.hub;

import dev.tailboard.build.Build;
import dev.tailboard.build.NewBuild;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.config.Threads;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.Mutation;
import dev.tailboard.store.Outcome;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.web.Json;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The one event hub every publish goes through: first into the {@link EventStore}, then out to the
 * live subscribers of the build (topic) on this node, and to the subscribers of the global build
 * feed.
 *
 * <p>Guarantees: events of one build reach each subscriber in id order; a publish returns only
 * after its events are durable; subscribing is atomic with respect to publishing (the stored events
 * up to the join point are replayed, everything after is delivered live), so no event is lost or
 * doubled at the seam. Publishers never wait for subscribers: delivery runs on the hub's own writer
 * threads from bounded per-subscriber queues.
 */
@ApplicationScoped
public class EventHub {

  /** The topic of the global build feed ({@code /api/events}). */
  public static final long ALL_BUILDS = 0;

  private static final int STRIPES = 256;

  @Inject EventStore store;
  @Inject Config config;
  @Inject Json json;
  @Inject LogMerger merger;
  @Inject HubMetrics metrics;
  @Inject dev.tailboard.metrics.Metrics registry;

  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final ConcurrentHashMap<Long, Set<Subscription>> topics = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Set<Runnable>> waiters = new ConcurrentHashMap<>();
  private ThreadPoolExecutor writers;
  private ScheduledExecutorService ticker;
  private HubLimits limits;

  @PostConstruct
  void start() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
    int threads = config.integer(Setting.SSE_WRITER_THREADS);
    // Each subscription has at most one drain task queued, so this bound is never the limit
    // in practice; a rejected task closes its subscriber rather than growing without bound.
    writers =
        Threads.pool(
            "tailboard-writer",
            threads,
            new LinkedBlockingQueue<>(100_000),
            new ThreadPoolExecutor.AbortPolicy());
    limits =
        new HubLimits(
            config.integer(Setting.SSE_QUEUE_EVENTS),
            config.integer(Setting.SSE_QUEUE_BYTES),
            config.integer(Setting.SSE_WRITE_TIMEOUT_SECONDS) * 1000L,
            config.integer(Setting.SSE_HEARTBEAT_SECONDS) * 1000L,
            config.integer(Setting.SSE_REPLAY_PAGE));
    registry.gauge(
        "tailboard.connections", "Open connections", this::subscriberCount, "transport", "sse");
    registry.gauge(
        "tailboard.writer.backlog",
        "Subscriptions waiting for a writer thread",
        this::writerBacklog);
    metrics.onPublished(0); // creates the hub's meters now
    ticker = Threads.scheduler("tailboard-heartbeat");
    ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    ticker.shutdownNow();
    topics.values().forEach(subs -> subs.forEach(Subscription::close));
    writers.shutdown();
    try {
      writers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writers.shutdownNow();
  }

  /** Creates a build (event 1) and announces it on the global feed. */
  public Build create(NewBuild build, String idempotencyKey) {
    Build created = store.createBuild(build, idempotencyKey, json::write);
    if (created.lastEventId() == 1) {
      announce(created);
    }
    return created;
  }

  /**
   * Applies {@code change} to the build in the store and delivers the events it appended. Returns
   * after the events are durable and queued for every subscriber.
   *
   * @throws NoSuchElementException if the build does not exist
   */
  public Outcome publish(long buildId, Long seq, Function<Build, Mutation> change) {
    ReentrantLock lock = stripe(buildId);
    lock.lock();
    try {
      Build[] before = new Build[1];
      long started = System.nanoTime();
      Outcome outcome =
          store.mutate(
              buildId,
              seq,
              current -> {
                before[0] = current;
                return change.apply(current);
              });
      metrics.onStoreWrite(System.nanoTime() - started);
      if (outcome.repeated()) {
        return outcome;
      }
      Mutation m = outcome.mutation();
      fanOut(buildId, m.events(), m.build());
      if (!Objects.equals(before[0].status(), m.build().status())
          || !Objects.equals(before[0].steps(), m.build().steps())) {
        announce(m.build());
      }
      return outcome;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Subscribes to a build's events after {@code afterId}: the stored ones first, then live ones. If
   * the build is finished, the subscription ends after its last event.
   *
   * @throws NoSuchElementException if the build does not exist
   */
  public Subscription subscribe(long buildId, long afterId, Delivery delivery) {
    return subscribe(buildId, build -> afterId, delivery);
  }

  /** Subscribes to a build's events from now on: nothing stored is replayed. */
  public Subscription subscribeLive(long buildId, Delivery delivery) {
    return subscribe(buildId, Build::lastEventId, delivery);
  }

  private Subscription subscribe(
      long buildId, java.util.function.ToLongFunction<Build> after, Delivery delivery) {
    ReentrantLock lock = stripe(buildId);
    lock.lock();
    try {
      Build build = store.findBuild(buildId).orElseThrow(NoSuchElementException::new);
      Subscription s = newSubscription(buildId, delivery);
      if (!build.finished()) {
        topics.computeIfAbsent(buildId, id -> ConcurrentHashMap.newKeySet()).add(s);
      }
      s.start(after.applyAsLong(build), build.lastEventId(), build.finished());
      return s;
    } finally {
      lock.unlock();
    }
  }

  /** Subscribes to the global feed of build summaries; live only, nothing is replayed. */
  public Subscription subscribeAll(Delivery delivery) {
    Subscription s = newSubscription(ALL_BUILDS, delivery);
    topics.computeIfAbsent(ALL_BUILDS, id -> ConcurrentHashMap.newKeySet()).add(s);
    s.start(0, 0, false);
    return s;
  }

  /**
   * Calls {@code wake} once, on a hub thread, when the build has an event after {@code afterId};
   * returns false at once (without calling it) if it already has. For long-polling.
   */
  public boolean awaitEvents(long buildId, long afterId, Runnable wake) {
    ReentrantLock lock = stripe(buildId);
    lock.lock();
    try {
      Build build = store.findBuild(buildId).orElseThrow(NoSuchElementException::new);
      if (build.lastEventId() > afterId || build.finished()) {
        return false;
      }
      waiters.computeIfAbsent(buildId, id -> ConcurrentHashMap.newKeySet()).add(wake);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets a waiter registered by {@link #awaitEvents} (its wait timed out). */
  public void cancelAwait(long buildId, Runnable wake) {
    waiters.computeIfPresent(buildId, (id, set) -> set.remove(wake) && set.isEmpty() ? null : set);
  }

  /** Live subscribers across all topics, for metrics. */
  public int subscriberCount() {
    return topics.values().stream().mapToInt(Set::size).sum();
  }

  /** The writer pool's backlog of subscriptions waiting for a thread, for metrics. */
  public int writerBacklog() {
    return writers.getQueue().size();
  }

  private void fanOut(long buildId, List<StoredEvent> events, Build after) {
    metrics.onPublished(events.size());
    Set<Subscription> subs = topics.get(buildId);
    if (subs != null) {
      for (Subscription s : subs) {
        if (after.finished() && !events.isEmpty()) {
          s.endAt(after.lastEventId());
        }
        for (StoredEvent e : events) {
          s.offer(e);
        }
      }
    }
    Set<Runnable> woken = waiters.remove(buildId);
    if (woken != null) {
      woken.forEach(writers::execute);
    }
  }

  private void announce(Build build) {
    Set<Subscription> subs = topics.get(ALL_BUILDS);
    if (subs == null || subs.isEmpty()) {
      return;
    }
    StoredEvent event = new StoredEvent(build.id(), 0, "build", json.write(build), 0, 0);
    subs.forEach(s -> s.offer(event));
  }

  private Subscription newSubscription(long topic, Delivery delivery) {
    return new Subscription(topic, delivery, limits, writers, merger, metrics, store, this::ended);
  }

  private void ended(Subscription s) {
    topics.computeIfPresent(s.topic(), (id, set) -> set.remove(s) && set.isEmpty() ? null : set);
  }

  private void tick() {
    long now = System.currentTimeMillis();
    try {
      topics.values().forEach(subs -> subs.forEach(s -> s.tick(now)));
    } catch (RuntimeException e) {
      // keep ticking: one bad subscriber must not stop heartbeats for everyone
      java.util.logging.Logger.getLogger(EventHub.class.getName()).warning(e.toString());
    }
  }

  private ReentrantLock stripe(long buildId) {
    return stripes[(int) Math.floorMod(buildId, (long) STRIPES)];
  }
}
