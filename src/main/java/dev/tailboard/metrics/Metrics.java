package dev.tailboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The application's one metrics registry (Micrometer, scraped in Prometheus text format at {@code
 * /api/metrics}). Features register their meters here by name.
 */
@ApplicationScoped
public class Metrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public Metrics() {
    // threads and heap: what a stalled client must not make grow
    new JvmThreadMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public Counter counter(String name, String help, String... tags) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }

  /** A latency timer with a histogram, so p50/p99 can be computed from the scrape. */
  public Timer timer(String name, String help, String... tags) {
    return Timer.builder(name)
        .description(help)
        .tags(tags)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  public void gauge(String name, String help, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value)
        .description(help)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  /** Everything, in Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  @PreDestroy
  void close() {
    registry.close();
  }
}
