package dev.tailboard.hub;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the hub's work, exposed by {@code /api/metrics}. */
@ApplicationScoped
public class HubMetrics {
  final LongAdder published = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder replays = new LongAdder();
  final LongAdder replayedEvents = new LongAdder();
  final LongAdder merges = new LongAdder();
  final LongAdder slowDisconnects = new LongAdder();
  final LongAdder stalledWrites = new LongAdder();

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
