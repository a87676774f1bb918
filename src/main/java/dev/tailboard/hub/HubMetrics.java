package dev.tailboard.hub;

import dev.tailboard.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;

/**
 * The hub's meters. Only methods, no field access from outside: the bean is reached through a CDI
 * client proxy, whose own fields are not the bean's.
 */
@ApplicationScoped
public class HubMetrics {

  @Inject Metrics metrics;

  private Counter published;
  private Counter delivered;
  private Counter replays;
  private Counter replayedEvents;
  private Counter merges;
  private Counter slowDisconnects;
  private Counter stalledWrites;
  private Timer lag;
  private Timer storeWrites;

  @PostConstruct
  void register() {
    published = metrics.counter("tailboard.events.published", "Events published to builds");
    delivered = metrics.counter("tailboard.events.delivered", "Events written to subscribers");
    replays = metrics.counter("tailboard.replays", "Subscriptions that replayed from the store");
    replayedEvents = metrics.counter("tailboard.replayed.events", "Events replayed from the store");
    merges = metrics.counter("tailboard.merged.events", "Queued log events merged away");
    slowDisconnects =
        metrics.counter("tailboard.slow.consumer.disconnects", "Subscribers cut off: queue full");
    stalledWrites =
        metrics.counter("tailboard.stalled.writes", "Subscribers cut off: a write hung");
    lag =
        metrics.timer(
            "tailboard.delivery.lag", "From an event's fan-out to its write to a subscriber");
    storeWrites = metrics.timer("tailboard.store.write", "Store transactions of publishes");
  }

  void onPublished(int events) {
    published.increment(events);
  }

  void onDelivered(long queuedAtNanos) {
    delivered.increment();
    if (queuedAtNanos > 0) {
      lag.record(System.nanoTime() - queuedAtNanos, TimeUnit.NANOSECONDS);
    }
  }

  void onReplay() {
    replays.increment();
  }

  void onReplayed() {
    replayedEvents.increment();
  }

  void onMerged(int events) {
    merges.increment(events);
  }

  void onSlowDisconnect() {
    slowDisconnects.increment();
  }

  void onStalledWrite() {
    stalledWrites.increment();
  }

  void onStoreWrite(long nanos) {
    storeWrites.record(nanos, TimeUnit.NANOSECONDS);
  }
}
