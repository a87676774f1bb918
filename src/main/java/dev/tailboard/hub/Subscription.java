package dev.tailboard.hub;

import dev.tailboard.store.EventStore;
import dev.tailboard.store.StoredEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One subscriber of a topic: a queue bounded in bytes, filled by publishers without blocking, and
 * one drain at a time on the hub's writer threads that hands events to a {@link Delivery} while it
 * has room and parks (holding no thread) while it has none.
 *
 * <p>Joining: the subscription is registered for live events first, then replays the store from
 * where the client stands until a page comes back empty, then delivers what was queued, skipping
 * every id it has sent already. So the seam has no gap and no duplicate without any lock shared
 * with publishers or other subscribers, and it works the same when live events come from another
 * node. While it replays, live events are only a convenience: if they overflow the queue they are
 * dropped and the replay reads on, since the store has them.
 *
 * <p>Graded handling of a slow subscriber once live: when its queue is full, runs of queued log
 * events are merged; if it is still full, or over {@code queueBytes}, the connection is aborted and
 * the client resumes from the store with {@code Last-Event-ID}. A client that takes nothing for the
 * write deadline is aborted too.
 *
 * <p>A subscription of a caller whose token expires ends then ({@link #endBy}), checked on the
 * hub's ticker like the write deadline: what the token allowed lasts no longer, and the client's
 * reconnect with the same token is refused.
 */
public final class Subscription {

  private static final Logger LOG = Logger.getLogger(Subscription.class.getName());

  /** Events, and bytes, handed over in one run of the drain before it yields its thread. */
  private static final int BATCH = 256;

  private static final int BATCH_BYTES = 256 * 1024;

  private final Topic topic;
  private final Delivery delivery;
  private final HubLimits limits;
  private final Executor writers;
  private final Executor replayers;
  private final LogMerger merger;
  private final HubMetrics metrics;
  private final EventStore store;
  private final Consumer<Subscription> onEnd;

  // guarded by this
  private final ArrayDeque<StoredEvent> queue = new ArrayDeque<>();

  /** When each queued event was offered (System.nanoTime), for the delivery-lag timer. */
  private final ArrayDeque<Long> offeredAt = new ArrayDeque<>();

  private int queuedBytes;

  /** This subscription's share of {@code sse.queueBytes} (see {@link Delivery#queueShares}). */
  private final int queueBytes;

  private boolean started;
  private boolean scheduled;
  private boolean closing;
  private boolean aborting;
  private boolean ended;
  private volatile boolean replaying;

  /** Bytes replayed so far: a replay past its first page moves to the replay threads. */
  private volatile long replayed;

  private boolean heartbeatDue;
  private int drops;
  private long endAtId = Long.MAX_VALUE;
  private long lastSent;

  /** The highest event id offered live, to see a gap in what is offered. */
  private long lastOffered;

  // touched by the drain only (one at a time)
  private List<StoredEvent> page = List.of();
  private int pageIndex;
  private long lastOfferedAt;
  private volatile long lastWrite = System.currentTimeMillis();

  /** When the stream ends (epoch millis), its caller's token expiring; 0: never. */
  private volatile long endsAtMillis;

  Subscription(
      Topic topic,
      Delivery delivery,
      HubLimits limits,
      Executor writers,
      Executor replayers,
      LogMerger merger,
      HubMetrics metrics,
      EventStore store,
      Consumer<Subscription> onEnd) {
    this.topic = topic;
    this.delivery = delivery;
    this.limits = limits;
    this.queueBytes = Math.max(1, limits.queueBytes() / Math.max(1, delivery.queueShares()));
    this.writers = writers;
    this.replayers = replayers;
    this.merger = merger;
    this.metrics = metrics;
    this.store = store;
    this.onEnd = onEnd;
  }

  public Topic topic() {
    return topic;
  }

  /**
   * Starts delivery after {@code afterId}: with {@code replay}, the stored events first. Live
   * events may have been offered before; those at or below what was sent are skipped.
   */
  synchronized void start(long afterId, boolean replay) {
    lastSent = afterId;
    replaying = replay || drops > 0;
    started = true;
    if (replaying) {
      metrics.onReplay();
    }
    if (lastSent >= endAtId) {
      closing = true;
    }
    schedule();
  }

  /** The stream ends once the event with this id has been handed over (a terminal status). */
  synchronized void endAt(long id) {
    endAtId = Math.min(endAtId, id);
    if (started && lastSent >= endAtId) {
      closing = true;
      schedule();
    }
  }

  /**
   * Ends the stream at {@code deadline}, when its caller's token expires: the connection is closed
   * at the first tick of the hub from then on, like a finished build's. Null: it never does.
   */
  public void endBy(Instant deadline) {
    if (deadline != null) {
      endsAtMillis = deadline.toEpochMilli();
    }
  }

  /**
   * Offers a live event; never blocks: the lock guards only memory. Events of a build may come with
   * a gap (another node's events announced late) or out of order: a gap turns the subscription back
   * to reading the store, which has every event up to any event offered, since a build's events are
   * committed in id order; an event already sent is skipped.
   */
  synchronized void offer(StoredEvent event) {
    if (closing) {
      return;
    }
    if (started && !replaying && event.id() > Math.max(lastSent, lastOffered) + 1) {
      replaying = true;
      metrics.onReplay();
    }
    if (event.id() > lastOffered) {
      lastOffered = event.id();
    }
    if (!started || replaying) {
      if (full(event)) {
        // the replay reads on until it meets the store's end: nothing is lost
        queue.clear();
        offeredAt.clear();
        queuedBytes = 0;
        drops++;
      }
      add(event);
      return;
    }
    if (full(event)) {
      metrics.onMerged(merger.merge(queue));
      // merged events lose their own offer times: count their lag from now
      offeredAt.clear();
      long now = System.nanoTime();
      queue.forEach(e -> offeredAt.add(now));
      queuedBytes = queue.stream().mapToInt(StoredEvent::weight).sum();
    }
    if (full(event)) {
      metrics.onSlowDisconnect();
      abandon(true);
      return;
    }
    add(event);
  }

  /**
   * Whether {@code event} would pass the queue's bounds. An empty queue takes any one event: a
   * stream's share of a shared connection's bytes may be smaller than one log event (up to ~256
   * KB), and a client that keeps up must not be cut for it.
   */
  private boolean full(StoredEvent event) {
    return queue.size() >= limits.queueEvents()
        || (!queue.isEmpty() && queuedBytes + event.weight() > queueBytes);
  }

  private void add(StoredEvent event) {
    queue.add(event);
    offeredAt.add(System.nanoTime());
    queuedBytes += event.weight();
    if (started) {
      schedule();
    }
  }

  /**
   * Aborts a connection whose client took nothing for the write deadline; ends one whose caller's
   * token expired; beats when idle.
   */
  void tick(long now) {
    long endsAt = endsAtMillis;
    if (endsAt != 0 && now >= endsAt) {
      synchronized (this) {
        if (!closing) {
          // closed, not aborted: what was handed to the connection still goes out
          abandon(false);
        }
      }
    }
    long blocked = delivery.blockedSince();
    if (blocked != 0 && now - blocked > limits.writeTimeoutMillis()) {
      metrics.onStalledWrite();
      synchronized (this) {
        abandon(true);
      }
      return;
    }
    if (now - lastWrite >= limits.heartbeatMillis()) {
      synchronized (this) {
        if (started && !closing && !scheduled) {
          heartbeatDue = true;
          schedule();
        }
      }
    }
  }

  /** Ends the subscription from outside (undeploy, client gone): the connection is aborted. */
  public void cancel() {
    synchronized (this) {
      abandon(true);
    }
  }

  private void abandon(boolean abort) {
    closing = true;
    aborting |= abort;
    queue.clear();
    offeredAt.clear();
    queuedBytes = 0;
    if (scheduled && abort) {
      // the drain may be parked on a full connection: aborting it wakes the drain
      try {
        writers.execute(delivery::abort);
      } catch (RejectedExecutionException e) {
        delivery.abort();
      }
    }
    schedule();
  }

  private void schedule() {
    if (scheduled || ended) {
      return;
    }
    scheduled = true;
    execute(this::drain);
  }

  /**
   * Runs a turn of the drain: on the replay threads while it replays from the store past its first
   * page, so that a reconnect storm or readers of a big finished build never make live events (or a
   * newcomer's short replay) queue behind them.
   */
  private void execute(Runnable task) {
    try {
      (replaying && replayed >= limits.replayPageBytes() ? replayers : writers).execute(task);
    } catch (RejectedExecutionException e) {
      // the hub is shutting down: nothing will deliver, so end now
      closing = true;
      aborting = true;
      delivery.abort();
    }
  }

  private void drain() {
    try {
      int bytes = 0;
      for (int handed = 0; handed < BATCH && bytes < BATCH_BYTES; handed++) {
        if (!delivery.ready() && delivery.whenReady(this::wake)) {
          return; // parked: wake() runs the drain again
        }
        StoredEvent next = next();
        if (next == null) {
          return;
        }
        write(next);
        bytes += next.weight();
      }
      execute(this::drain); // yield to the others, keep the turn
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "Subscriber gone", e);
      synchronized (this) {
        closing = true;
        aborting = true;
      }
      finish();
    }
  }

  private void wake() {
    execute(this::drain);
  }

  /** The next event to hand over, or null when there is none (the drain then ends). */
  private StoredEvent next() {
    while (true) {
      int dropsBefore;
      long after;
      long upTo;
      synchronized (this) {
        if (closing) {
          scheduled = false;
          break;
        }
        if (!replaying) {
          StoredEvent live = pollLive();
          if (live != null) {
            return live;
          }
          if (heartbeatDue) {
            heartbeatDue = false;
            return Heartbeat.EVENT;
          }
          scheduled = false;
          return null;
        }
        if (pageIndex < page.size()) {
          metrics.onReplayed();
          StoredEvent e = page.get(pageIndex++);
          replayed += e.weight();
          return e;
        }
        dropsBefore = drops;
        after = lastSent;
        upTo = endAtId;
      }
      page = readPage(after, upTo);
      pageIndex = 0;
      if (page.isEmpty()) {
        synchronized (this) {
          // live events dropped while this page was read were stored before it: read again
          replaying = drops != dropsBefore;
        }
      }
    }
    finish();
    return null;
  }

  /** The stored events after {@code after}, up to {@code upTo}: a build's; the feed has none. */
  private List<StoredEvent> readPage(long after, long upTo) {
    if (topic instanceof Topic.OfBuild build) {
      return store.readEvents(
          build.buildId(), after, upTo, limits.replayPage(), limits.replayPageBytes());
    }
    return List.of();
  }

  /** The next queued live event the client has not had yet (replay may have sent it). */
  private StoredEvent pollLive() {
    while (true) {
      StoredEvent e = queue.poll();
      Long at = offeredAt.poll();
      if (e == null) {
        return null;
      }
      queuedBytes -= e.weight();
      if (e.id() == 0 || e.id() > lastSent) {
        lastOfferedAt = at == null ? 0 : at;
        return e;
      }
    }
  }

  private void write(StoredEvent event) throws IOException {
    if (event == Heartbeat.EVENT) {
      delivery.heartbeat();
    } else {
      delivery.send(event);
      metrics.onDelivered(replayingNow() ? 0 : lastOfferedAt);
    }
    lastWrite = System.currentTimeMillis();
    synchronized (this) {
      if (event.id() > lastSent) {
        lastSent = event.id();
      }
      if (lastSent >= endAtId) {
        closing = true;
        queue.clear();
        offeredAt.clear();
        queuedBytes = 0;
      }
    }
  }

  private synchronized boolean replayingNow() {
    return replaying;
  }

  /**
   * Runs once, on the drain, outside the lock: closing the delivery may call into the container.
   */
  private void finish() {
    boolean abort;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      scheduled = false;
      abort = aborting;
    }
    if (abort) {
      delivery.abort();
    } else {
      delivery.close();
    }
    onEnd.accept(this);
  }

  /** The keep-alive marker; never stored or sent as an event. */
  private static final class Heartbeat {
    static final StoredEvent EVENT = new StoredEvent(0, 0, "heartbeat", "", 0, 0);
  }
}
