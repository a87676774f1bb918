package dev.tailboard.bench;

import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Gauges read off the server's {@code /api/metrics} (Prometheus text): what the server itself says
 * it holds, beside the heap the benchmarks measure.
 */
final class ServerMetrics {

  private final String text;

  private ServerMetrics(String text) {
    this.text = text;
  }

  static ServerMetrics read() throws Exception {
    HttpResponse<String> r =
        ServerProbe.http()
            .send(
                IngestBenchmark.request("/api/metrics").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    return new ServerMetrics(r.statusCode() == 200 ? r.body() : "");
  }

  /**
   * The value of the sample whose name (with its labels, as printed) starts with {@code prefix}; -1
   * when there is none.
   */
  double value(String prefix) {
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  long sseConnections() {
    return (long) value("tailboard_connections{transport=\"sse\"");
  }

  long wsConnections() {
    return (long) value("tailboard_connections{transport=\"websocket\"");
  }

  /** Open streaming responses: SSE streams and long-polls. */
  long outputConnections() {
    return (long) value("tailboard_output_connections ");
  }

  long queuedOutputBytes() {
    return (long) value("tailboard_output_queued_bytes ");
  }

  long pollsWaiting() {
    return (long) value("tailboard_poll_waiting ");
  }
}
