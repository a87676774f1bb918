package dev.tailboard.hub;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.config.Threads;
import dev.tailboard.metrics.Metrics;
import dev.tailboard.store.BodyMismatchException;
import dev.tailboard.store.Build;
import dev.tailboard.store.ChunkSeq;
import dev.tailboard.store.ClusterBus;
import dev.tailboard.store.Created;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.Mutation;
import dev.tailboard.store.NewBuild;
import dev.tailboard.store.Outcome;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.Json;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one event hub every publish goes through: first into the {@link EventStore}, then out to the
 * live subscribers of the build (topic) on this node, and to the subscribers of the global build
 * feed.
 *
 * <p>In a cluster each publish also wakes the other nodes through the {@link ClusterBus} with the
 * build and its newest id; a node that has subscribers of that build reads the new events once from
 * the store and fans them out to them ({@link ClusterFollower}).
 *
 * <p>Guarantees: events of one build reach each subscriber in id order; a publish returns only
 * after its events are durable; subscribing is atomic with respect to publishing (the stored events
 * up to the join point are replayed, everything after is delivered live), so no event is lost or
 * doubled at the seam. Publishers never wait for subscribers: delivery runs on the hub's own writer
 * threads from bounded per-subscriber queues.
 */
@ApplicationScoped
public class EventHub {

  private static final Logger LOG = Logger.getLogger(EventHub.class.getName());
  private static final int STRIPES = 256;

  @Inject EventStore store;
  @Inject Config config;
  @Inject Json json;
  @Inject LogMerger merger;
  @Inject HubMetrics metrics;
  @Inject Metrics registry;
  @Inject ClusterBus bus;

  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final ConcurrentHashMap<Topic, Set<Subscription>> topics = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Set<Runnable>> waiters = new ConcurrentHashMap<>();

  /** Per build with subscribers here: the highest event id fanned out on this node. */
  private final ConcurrentHashMap<Long, Long> heads = new ConcurrentHashMap<>();

  /**
   * Every client's subscription until it ends, replays of finished builds included: the ticker's
   * list, and the SSE connections the gauge counts.
   */
  private final Set<Subscription> all = ConcurrentHashMap.newKeySet();

  /** The {@link Listener}s inside this process: not clients, so neither ticked nor counted. */
  private final Set<Subscription> listeners = ConcurrentHashMap.newKeySet();

  private Executor writers;
  private Executor replayers;
  private ScheduledExecutorService ticker;
  private HubLimits limits;
  private ClusterFollower follower;

  /** For CDI. */
  public EventHub() {}

  /**
   * A hub over {@code store} whose subscriptions drain on {@code writers}, without a ticker (tests
   * call {@link #tick(long)}): for tests that force interleavings with a manual executor.
   */
  EventHub(
      EventStore store,
      Json json,
      LogMerger merger,
      HubMetrics metrics,
      HubLimits limits,
      Executor writers) {
    this.store = store;
    this.json = json;
    this.merger = merger;
    this.metrics = metrics;
    this.limits = limits;
    this.writers = writers;
    this.replayers = writers;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

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
    // store replays read pages and fill sockets: their own few threads, so live events never
    // wait in a queue behind them (the OS still shares the cores between both)
    replayers =
        Threads.pool(
            "tailboard-replay",
            config.integer(Setting.SSE_REPLAY_THREADS),
            new LinkedBlockingQueue<>(100_000),
            new ThreadPoolExecutor.AbortPolicy());
    limits =
        new HubLimits(
            config.integer(Setting.SSE_QUEUE_EVENTS),
            config.integer(Setting.SSE_QUEUE_BYTES),
            config.integer(Setting.SSE_WRITE_TIMEOUT_SECONDS) * 1000L,
            config.integer(Setting.SSE_HEARTBEAT_SECONDS) * 1000L,
            config.integer(Setting.SSE_REPLAY_PAGE),
            config.integer(Setting.SSE_REPLAY_PAGE_BYTES));
    registry.gauge(
        "tailboard.connections", "Open connections", this::subscriberCount, "transport", "sse");
    registry.gauge(
        "tailboard.writer.backlog",
        "Subscriptions waiting for a writer thread",
        this::writerBacklog);
    registry.gauge(
        "tailboard.poll.waiting",
        "Long-polls waiting for a build's next event",
        () -> waiters.values().stream().mapToInt(Set::size).sum());
    metrics.onPublished(0); // creates the hub's meters now
    ticker = Threads.scheduler("tailboard-heartbeat");
    ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    if (bus != null && bus.clustered()) {
      follower = new ClusterFollower(this);
      bus.listen(ClusterFollower.BUILD_CHANNEL, follower);
      bus.listen(ClusterFollower.FEED_CHANNEL, follower);
    }
  }

  @PreDestroy
  void stop() {
    ticker.shutdownNow();
    if (follower != null) {
      follower.stop();
    }
    all.forEach(Subscription::cancel);
    listeners.forEach(Subscription::cancel);
    for (Executor e : List.of(writers, replayers)) {
      ThreadPoolExecutor pool = (ThreadPoolExecutor) e;
      pool.shutdown();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      pool.shutdownNow();
    }
  }

  /**
   * Creates a build (event 1) and announces it on the global feed; a repeat of an earlier create
   * (the same idempotency key) returns that build and announces nothing, so a build is announced
   * once however often its create is retried.
   *
   * @throws BodyMismatchException if the key was first used with another body
   */
  public Created create(NewBuild build, String idempotencyKey, String fingerprint) {
    Created created = store.createBuild(build, idempotencyKey, fingerprint, json::write);
    if (created.isNew()) {
      announce(created.build());
    }
    return created;
  }

  /**
   * Applies {@code change} to the build in the store and delivers the events it appended. Returns
   * after the events are durable and queued for every subscriber. A repeated {@code chunk} delivers
   * nothing and returns the first reply ({@link EventStore#mutate}).
   *
   * @throws NoSuchElementException if the build does not exist
   * @throws BodyMismatchException if the chunk's seq was stored with another body
   */
  public Outcome publish(long buildId, ChunkSeq chunk, Function<Build, Mutation> change) {
    ReentrantLock lock = stripe(buildId);
    lock.lock();
    try {
      Build[] before = new Build[1];
      long started = System.nanoTime();
      Outcome outcome =
          store.mutate(
              buildId,
              chunk,
              current -> {
                before[0] = current;
                return change.apply(current);
              });
      metrics.onStoreWrite(System.nanoTime() - started);
      if (outcome.repeated()) {
        return outcome;
      }
      Mutation m = outcome.mutation();
      fanOut(buildId, m.events(), m.build().finished() ? m.build().lastEventId() : 0);
      if (!m.events().isEmpty()) {
        tellOtherNodes(ClusterFollower.BUILD_CHANNEL + buildId, m.build().lastEventId());
      }
      if (!Objects.equals(before[0].status(), m.build().status())
          || !Objects.equals(before[0].steps(), m.build().steps())
          || !Objects.equals(before[0].firstErrorLine(), m.build().firstErrorLine())
          || !Objects.equals(before[0].annotations(), m.build().annotations())) {
        announce(m.build());
      }
      return outcome;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Subscribes to a build's events after {@code afterId}: the stored ones first, then live ones,
   * with no gap and no duplicate at the seam. If the build is finished, the subscription ends after
   * its last event. Takes no lock that publishers or other subscribers need.
   *
   * @throws NoSuchElementException if the build does not exist
   */
  public Subscription subscribe(long buildId, long afterId, Delivery delivery) {
    return subscribe(buildId, build -> afterId, true, delivery, all);
  }

  /** Subscribes to a build's events from now on: nothing stored is replayed. */
  public Subscription subscribeLive(long buildId, Delivery delivery) {
    return subscribe(buildId, Build::lastEventId, false, delivery, all);
  }

  /**
   * Calls {@code listener} with the build's events from now on (nothing stored is replayed) until
   * the build finishes or the returned subscription is cancelled. A listener is not a client: it is
   * not counted in {@link #subscriberCount()} and gets no heartbeats; like a client's, its queue is
   * bounded, so one that cannot keep up is dropped.
   *
   * @throws NoSuchElementException if the build does not exist
   */
  public Subscription listen(long buildId, Listener listener) {
    return subscribe(buildId, Build::lastEventId, false, new ListenerDelivery(listener), listeners);
  }

  private Subscription subscribe(
      long buildId,
      ToLongFunction<Build> after,
      boolean replay,
      Delivery delivery,
      Set<Subscription> kind) {
    Topic.OfBuild topic = Topic.build(buildId);
    Subscription s = newSubscription(topic, delivery);
    // live first: every event fanned out from now on is queued, everything before is stored
    join(topic, s);
    Build build;
    try {
      build = store.findBuild(buildId).orElseThrow(NoSuchElementException::new);
    } catch (RuntimeException e) {
      leave(s);
      throw e;
    }
    if (build.finished()) {
      leave(s); // nothing live will come: it ends after the last stored event
      s.endAt(build.lastEventId());
    } else {
      // a node's first subscriber of a build: other nodes' events after this are read for it
      heads.putIfAbsent(buildId, build.lastEventId());
    }
    kind.add(s);
    s.start(after.applyAsLong(build), replay);
    return s;
  }

  /** Subscribes to the global feed of build summaries; live only, nothing is replayed. */
  public Subscription subscribeAll(Delivery delivery) {
    Subscription s = newSubscription(Topic.feed(), delivery);
    join(Topic.feed(), s);
    all.add(s);
    s.start(0, false);
    return s;
  }

  /**
   * Calls {@code wake} once, on a hub thread, when the build has an event after {@code afterId};
   * returns false at once (without calling it) if it already has. For long-polling. May, rarely,
   * call {@code wake} even after returning false; callers answer once.
   */
  public boolean awaitEvents(long buildId, long afterId, Runnable wake) {
    waiters.compute(buildId, (id, set) -> with(set, wake));
    Build build = store.findBuild(buildId).orElse(null);
    if (build == null || build.lastEventId() > afterId || build.finished()) {
      cancelAwait(buildId, wake);
      if (build == null) {
        throw new NoSuchElementException();
      }
      return false;
    }
    return true;
  }

  /** Forgets a waiter registered by {@link #awaitEvents} (its wait timed out). */
  public void cancelAwait(long buildId, Runnable wake) {
    waiters.computeIfPresent(buildId, (id, set) -> without(set, wake));
  }

  /** Clients subscribed across all topics (SSE connections; not listeners), for metrics. */
  public int subscriberCount() {
    return all.size();
  }

  /** The writer pool's backlog of subscriptions waiting for a thread, for metrics. */
  public int writerBacklog() {
    return writers instanceof ThreadPoolExecutor pool ? pool.getQueue().size() : 0;
  }

  /**
   * Offers events to this node's subscribers of the build and wakes its long-polls; {@code endAt}
   * is the build's last event once it finished, else 0. Callers hold the build's stripe lock, so a
   * node fans out one build's events in one order.
   */
  private void fanOut(long buildId, List<StoredEvent> events, long endAt) {
    metrics.onPublished(events.size());
    if (!events.isEmpty()) {
      long last = events.get(events.size() - 1).id();
      heads.computeIfPresent(buildId, (id, head) -> Math.max(head, last));
    }
    Set<Subscription> subs = topics.get(Topic.build(buildId));
    if (subs != null) {
      for (Subscription s : subs) {
        if (endAt > 0 && !events.isEmpty()) {
          s.endAt(endAt);
        }
        for (StoredEvent e : events) {
          s.offer(e);
        }
      }
    }
    Set<Runnable> woken = waiters.remove(buildId);
    // a wake answers a long-poll (a store read); it runs on the writers, which never wait on a
    // client
    if (woken != null) {
      woken.forEach(writers::execute);
    }
  }

  private void announce(Build build) {
    announceHere(build);
    tellOtherNodes(ClusterFollower.FEED_CHANNEL + build.id(), build.lastEventId());
  }

  private void tellOtherNodes(String channel, long position) {
    if (bus != null) {
      bus.announce(channel, position);
    }
  }

  /** Offers a build's summary to this node's subscribers of the global feed. */
  void announceHere(Build build) {
    Set<Subscription> subs = topics.get(Topic.feed());
    if (subs == null || subs.isEmpty()) {
      return;
    }
    StoredEvent event = new StoredEvent(build.id(), 0, "build", json.write(build), 0, 0);
    subs.forEach(s -> s.offer(event));
  }

  private Subscription newSubscription(Topic topic, Delivery delivery) {
    return new Subscription(
        topic, delivery, limits, writers, replayers, merger, metrics, store, this::ended);
  }

  /*
   * A topic's set is changed only inside compute on its key, so a subscriber joining while the
   * last one leaves cannot be added to a set that is being dropped from the map.
   */
  private void join(Topic topic, Subscription s) {
    topics.compute(topic, (id, set) -> with(set, s));
  }

  private void leave(Subscription s) {
    topics.computeIfPresent(
        s.topic(),
        (topic, set) -> {
          Set<Subscription> left = without(set, s);
          if (left == null && topic instanceof Topic.OfBuild build) {
            heads.remove(build.buildId());
          }
          return left;
        });
  }

  private static <T> Set<T> with(Set<T> set, T member) {
    Set<T> result = set == null ? ConcurrentHashMap.newKeySet() : set;
    result.add(member);
    return result;
  }

  /*
   * What the cluster follower needs of the hub, under the build's stripe lock.
   */

  /** True when this node has a subscriber or a long-poll of the build. */
  boolean follows(long buildId) {
    return topics.containsKey(Topic.build(buildId)) || waiters.containsKey(buildId);
  }

  /** True when this node has a subscriber of the global feed. */
  boolean followsFeed() {
    return topics.containsKey(Topic.feed());
  }

  /** The builds with subscribers or long-polls here. */
  Set<Long> followedBuilds() {
    Set<Long> followed = new HashSet<>(waiters.keySet());
    for (Topic topic : topics.keySet()) {
      if (topic instanceof Topic.OfBuild build) {
        followed.add(build.buildId());
      }
    }
    return followed;
  }

  EventStore store() {
    return store;
  }

  HubLimits limits() {
    return limits;
  }

  ReentrantLock lockOf(long buildId) {
    return stripe(buildId);
  }

  /** The highest id fanned out here for a build with subscribers, or -1. */
  long head(long buildId) {
    return heads.getOrDefault(buildId, -1L);
  }

  /**
   * Fans out events another node stored ({@code endAt} as in {@link #fanOut}); the caller holds the
   * build's stripe lock.
   */
  void fanOutFromStore(long buildId, List<StoredEvent> events, long endAt) {
    fanOut(buildId, events, endAt);
  }

  private static <T> Set<T> without(Set<T> set, T member) {
    set.remove(member);
    return set.isEmpty() ? null : set;
  }

  private void ended(Subscription s) {
    leave(s);
    all.remove(s);
    listeners.remove(s);
  }

  private void tick() {
    tick(System.currentTimeMillis());
  }

  /** Beats idle subscriptions and aborts the ones whose client stalled past the deadline. */
  void tick(long now) {
    for (Subscription s : all) {
      try {
        s.tick(now);
      } catch (RuntimeException e) {
        // keep ticking: one bad subscriber must not stop heartbeats for everyone
        LOG.log(Level.WARNING, "tick failed", e);
      }
    }
  }

  private ReentrantLock stripe(long buildId) {
    return stripes[(int) Math.floorMod(buildId, (long) STRIPES)];
  }

  /**
   * A {@link Listener} behind a subscription: takes every event at once; nothing to beat or close.
   */
  private record ListenerDelivery(Listener listener) implements Delivery {

    @Override
    public void send(StoredEvent event) {
      listener.onEvent(event);
    }

    @Override
    public void heartbeat() {}

    @Override
    public void close() {}
  }
}
