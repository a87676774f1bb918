package dev.tailboard.hub;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the hub's work, exposed by {@code /api/metrics}. Only methods, no field access: the
 * bean is reached through a CDI client proxy, whose own fields are not the bean's.
 */
@ApplicationScoped
public class HubMetrics {
  private final LongAdder published = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder replays = new LongAdder();
  private final LongAdder replayedEvents = new LongAdder();
  private final LongAdder merges = new LongAdder();
  private final LongAdder slowDisconnects = new LongAdder();
  private final LongAdder stalledWrites = new LongAdder();

  void onPublished(int events) {
    published.add(events);
  }

  void onDelivered() {
    delivered.increment();
  }

  void onReplay() {
    replays.increment();
  }

  void onReplayed() {
    replayedEvents.increment();
  }

  void onMerged(int events) {
    merges.add(events);
  }

  void onSlowDisconnect() {
    slowDisconnects.increment();
  }

  void onStalledWrite() {
    stalledWrites.increment();
  }

  public long published() {
    return published.sum();
  }

  public long delivered() {
    return delivered.sum();
  }

  public long replays() {
    return replays.sum();
  }

  public long replayedEvents() {
    return replayedEvents.sum();
  }

  public long merges() {
    return merges.sum();
  }

  public long slowDisconnects() {
    return slowDisconnects.sum();
  }

  public long stalledWrites() {
    return stalledWrites.sum();
  }
}
