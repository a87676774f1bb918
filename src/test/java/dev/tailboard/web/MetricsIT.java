package dev.tailboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.SseStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /api/metrics} in Prometheus text format counts what really happened. */
class MetricsIT {

  private final Api api = Api.publisher();

  private double metric(String name) {
    for (String line : api.get("/api/metrics").body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no metric " + name);
  }

  @Test
  void publishingToASubscriberMovesTheCountersAndTheLagHistogram() {
    var r = api.get("/api/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    assertThat(r.body())
        .contains("tailboard_connections{transport=\"sse\"}")
        .contains("tailboard_connections{transport=\"websocket\"}")
        .contains("tailboard_delivery_lag_seconds_bucket");
    double published = metric("tailboard_events_published_total");
    double delivered = metric("tailboard_events_delivered_total");
    double lagCount = metric("tailboard_delivery_lag_seconds_count");
    long build = api.createBuild();
    try (SseStream s = SseStream.open("/api/builds/" + build + "/events")) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !s.of("build").isEmpty());
      assertThat(metric("tailboard_connections{transport=\"sse\"}")).isGreaterThanOrEqualTo(1);
      api.append(build, List.of("one", "two"));
      await().atMost(Duration.ofSeconds(10)).until(() -> s.logLines().size() == 2);
    }
    assertThat(metric("tailboard_events_published_total")).isGreaterThan(published);
    assertThat(metric("tailboard_events_delivered_total")).isGreaterThan(delivered);
    assertThat(metric("tailboard_delivery_lag_seconds_count")).isGreaterThan(lagCount);
    assertThat(metric("tailboard_store_write_seconds_count")).isPositive();
  }
}
