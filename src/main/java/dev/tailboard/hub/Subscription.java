package dev.tailboard.hub;

import dev.tailboard.store.EventStore;
import dev.tailboard.store.StoredEvent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One subscriber of a topic: a bounded queue filled by publishers without blocking, drained by the
 * hub's writer threads into a {@link Delivery}. It first replays the stored events it missed (after
 * {@code afterId}, up to the id current when it joined), then what was queued since, so the two
 * meet with no gap and no duplicate.
 *
 * <p>Graded handling of a slow subscriber: when its queue holds {@code queueEvents} events, runs of
 * queued log events are merged; if it is still full, or holds more than {@code queueBytes}, the
 * queue is dropped and the connection closed, and the client resumes from the store with {@code
 * Last-Event-ID}.
 */
public final class Subscription {

  private static final Logger LOG = Logger.getLogger(Subscription.class.getName());
  private static final StoredEvent HEARTBEAT = new StoredEvent(0, 0, "heartbeat", "", 0, 0);

  private final long topic;
  private final Delivery delivery;
  private final HubLimits limits;
  private final Executor writers;
  private final LogMerger merger;
  private final HubMetrics metrics;
  private final EventStore store;
  private final Consumer<Subscription> onEnd;

  private final ArrayDeque<StoredEvent> queue = new ArrayDeque<>();

  /** When each queued event was offered (System.nanoTime), for the delivery-lag timer. */
  private final ArrayDeque<Long> offeredAt = new ArrayDeque<>();

  private int queuedBytes;
  private boolean scheduled;
  private boolean closing;
  private boolean ended;
  private long replayAfter;
  private long replayUpTo;
  private long endAtId = Long.MAX_VALUE;
  private volatile long writingSince;
  private volatile long lastWrite = System.currentTimeMillis();

  Subscription(
      long topic,
      Delivery delivery,
      HubLimits limits,
      Executor writers,
      LogMerger merger,
      HubMetrics metrics,
      EventStore store,
      Consumer<Subscription> onEnd) {
    this.topic = topic;
    this.delivery = delivery;
    this.limits = limits;
    this.writers = writers;
    this.merger = merger;
    this.metrics = metrics;
    this.store = store;
    this.onEnd = onEnd;
  }

  public long topic() {
    return topic;
  }

  /** Called once, under the topic's lock, before any event is offered. */
  synchronized void start(long afterId, long upToId, boolean finished) {
    replayAfter = afterId;
    replayUpTo = upToId;
    if (finished) {
      endAtId = upToId;
    }
    if (upToId > afterId) {
      metrics.onReplay();
    }
    schedule();
  }

  /** The stream ends once the event with this id has been written (a terminal status). */
  synchronized void endAt(long id) {
    endAtId = id;
  }

  /** Offers a live event; never blocks. */
  synchronized void offer(StoredEvent event) {
    if (closing) {
      return;
    }
    if (queue.size() >= limits.queueEvents()) {
      int merged = merger.merge(queue);
      metrics.onMerged(merged);
      // merged events lose their own offer times: count their lag from now
      offeredAt.clear();
      long now = System.nanoTime();
      queue.forEach(e -> offeredAt.add(now));
      queuedBytes = queue.stream().mapToInt(StoredEvent::weight).sum();
    }
    if (queue.size() >= limits.queueEvents()
        || queuedBytes + event.weight() > limits.queueBytes()) {
      metrics.onSlowDisconnect();
      abandon();
      return;
    }
    queue.add(event);
    offeredAt.add(System.nanoTime());
    queuedBytes += event.weight();
    schedule();
  }

  /** Sends a heartbeat if nothing was written for a while; cuts a write that hangs. */
  void tick(long now) {
    long since = writingSince;
    if (since != 0 && now - since > limits.writeTimeoutMillis()) {
      metrics.onStalledWrite();
      synchronized (this) {
        abandon();
      }
      return;
    }
    if (now - lastWrite >= limits.heartbeatMillis()) {
      synchronized (this) {
        if (!closing && queue.isEmpty() && !scheduled) {
          queue.add(HEARTBEAT);
          offeredAt.add(0L);
          schedule();
        }
      }
    }
  }

  /** Ends the subscription from outside (undeploy, client gone). */
  synchronized void close() {
    abandon();
  }

  /** Ends the subscription: its delivery is closed on a writer thread and it is forgotten. */
  public void cancel() {
    close();
  }

  private void abandon() {
    closing = true;
    queue.clear();
    offeredAt.clear();
    queuedBytes = 0;
    schedule();
  }

  private void schedule() {
    if (scheduled || ended) {
      return;
    }
    scheduled = true;
    try {
      writers.execute(this::drain);
    } catch (RejectedExecutionException e) {
      scheduled = false;
      closing = true;
      finish();
    }
  }

  private void drain() {
    try {
      replay();
      while (true) {
        StoredEvent next;
        long offered;
        synchronized (this) {
          next = closing ? null : queue.poll();
          Long at = offeredAt.poll();
          offered = at == null ? 0 : at;
          if (next == null) {
            scheduled = false;
            if (closing) {
              finish();
            }
            return;
          }
          queuedBytes -= next.weight();
        }
        write(next, offered);
      }
    } catch (Exception e) {
      LOG.log(Level.FINE, "Subscriber gone", e);
      synchronized (this) {
        scheduled = false;
        closing = true;
        queue.clear();
        offeredAt.clear();
        finish();
      }
    }
  }

  private void replay() throws java.io.IOException {
    while (true) {
      long after;
      long upTo;
      synchronized (this) {
        if (closing || replayAfter >= replayUpTo) {
          return;
        }
        after = replayAfter;
        upTo = replayUpTo;
      }
      List<StoredEvent> page = store.readEvents(topic, after, upTo, limits.replayPage());
      if (page.isEmpty()) {
        synchronized (this) {
          replayAfter = replayUpTo;
        }
        return;
      }
      for (StoredEvent e : page) {
        write(e, 0);
        metrics.onReplayed();
      }
      synchronized (this) {
        replayAfter = page.get(page.size() - 1).id();
      }
    }
  }

  private void write(StoredEvent event, long offeredAtNanos) throws java.io.IOException {
    writingSince = System.currentTimeMillis();
    try {
      if (event == HEARTBEAT) {
        delivery.heartbeat();
      } else {
        delivery.send(event);
        metrics.onDelivered(offeredAtNanos);
      }
    } finally {
      writingSince = 0;
      lastWrite = System.currentTimeMillis();
    }
    synchronized (this) {
      if (event.id() >= endAtId) {
        closing = true;
        queue.clear();
        offeredAt.clear();
      }
    }
  }

  /** Runs once, on the thread that last wrote, so the delivery is never used concurrently. */
  private void finish() {
    if (ended) {
      return;
    }
    ended = true;
    delivery.close();
    onEnd.accept(this);
  }
}
