package dev.tailboard.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SSE client over a socket: parses the stream the way the EventSource spec does (fields,
 * comments, blank-line dispatch) on its own thread, and keeps what it saw for assertions.
 */
public final class SseStream implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public final List<SseEvent> events = new CopyOnWriteArrayList<>();
  public final List<String> rawLines = new CopyOnWriteArrayList<>();
  public final AtomicInteger comments = new AtomicInteger();
  public final AtomicBoolean ended = new AtomicBoolean();
  private final HttpResponse<InputStream> response;
  private final Thread reader;

  private SseStream(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code path} with the given extra headers; returns once the response headers came. */
  public static SseStream open(String path, Map<String, String> headers) {
    return openAt(ItServer.baseUrl() + path, headers);
  }

  /** A stream of a server other than the build's IT server ({@code url} is absolute). */
  public static SseStream openAt(String url, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "text/event-stream");
    headers.forEach(b::header);
    try {
      HttpResponse<InputStream> r =
          HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      return new SseStream(r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static SseStream open(String path) {
    return open(path, Map.of());
  }

  public HttpResponse<InputStream> response() {
    return response;
  }

  public int status() {
    return response.statusCode();
  }

  /** The named events of one type, in arrival order. */
  public List<SseEvent> of(String type) {
    List<SseEvent> out = new ArrayList<>();
    for (SseEvent e : events) {
      if (type.equals(e.event())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Whether a {@code status} event with this status arrived. */
  public boolean has(String type, String status) {
    return of(type).stream().anyMatch(e -> status.equals(e.json().path("status").asText()));
  }

  /** Every log line received, in order. */
  public List<String> logLines() {
    List<String> out = new ArrayList<>();
    for (SseEvent e : of("log")) {
      e.json().get("lines").forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  public String lastId() {
    String last = null;
    for (SseEvent e : events) {
      if (e.id() != null) {
        last = e.id();
      }
    }
    return last;
  }

  private void read() {
    SseLineParser parser =
        new SseLineParser(
            (id, event, data) -> events.add(new SseEvent(id, event, data)),
            comments::incrementAndGet);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        rawLines.add(line);
        parser.line(line);
      }
    } catch (IOException e) {
      // closed by the test or the server
    } finally {
      ended.set(true);
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // already closed
    }
    reader.interrupt();
  }
}
