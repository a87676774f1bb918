package dev.tailboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber to one build's event stream that behaves like a browser's EventSource: when the
 * connection drops it reconnects (after a jittered delay) with the last id it got as {@code
 * Last-Event-ID}, until the build has finished or the server answers 204. Asynchronous (no thread
 * per stream), so a test can run thousands. It checks the log it receives as it goes: every line
 * number must follow the one before, so a line lost or delivered twice is recorded as a fault.
 */
public final class ResumingSse {

  private static final Set<String> TERMINAL = Set.of("passed", "failed", "canceled", "errored");

  private final HttpClient http;
  private final URI uri;
  private final ScheduledExecutorService timer;
  private final long maxDelayMillis;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<String> faults = new CopyOnWriteArrayList<>();
  private final AtomicInteger connects = new AtomicInteger();
  private volatile String lastId;
  private volatile boolean finished;
  private volatile boolean done;
  private volatile boolean stopped;

  /**
   * A stream of {@code uri} (not yet connected); reconnects wait up to {@code maxDelay}, jittered,
   * scheduled on {@code timer}.
   */
  public ResumingSse(HttpClient http, URI uri, ScheduledExecutorService timer, Duration maxDelay) {
    this.http = http;
    this.uri = uri;
    this.timer = timer;
    this.maxDelayMillis = maxDelay.toMillis();
  }

  public void start() {
    connect();
  }

  /** Every log line received, in order. */
  public List<String> lines() {
    return lines;
  }

  /** Lines missed or repeated, as found. */
  public List<String> faults() {
    return faults;
  }

  /** How many connections it made (1 if it never had to resume). */
  public int connects() {
    return connects.get();
  }

  /** True once it got the build's final status, or the server said there is nothing more. */
  public boolean done() {
    return done;
  }

  public void stop() {
    stopped = true;
  }

  private void connect() {
    if (stopped) {
      return;
    }
    connects.incrementAndGet();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
    String from = lastId;
    if (from != null) {
      request.header("Last-Event-ID", from);
    }
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(new Parser()))
        .whenComplete(
            (response, error) -> {
              if (response != null && response.statusCode() == 204) {
                done = true;
              } else if (finished) {
                done = true;
              } else {
                long delay = ThreadLocalRandom.current().nextLong(maxDelayMillis + 1);
                timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
              }
            });
  }

  private void dispatch(String id, String event, String data) {
    if (id != null) {
      lastId = id;
    }
    try {
      JsonNode json = Api.JSON.readTree(data);
      if ("log".equals(event)) {
        long first = json.get("first").asLong();
        long expected = lines.size() + 1L;
        if (first != expected) {
          faults.add("chunk at line " + first + " when line " + expected + " was next");
        }
        List<String> chunk = new ArrayList<>();
        json.get("lines").forEach(n -> chunk.add(n.asText()));
        lines.addAll(chunk);
      } else if ("reset".equals(event)) {
        faults.add("reset after " + lines.size() + " lines");
        lines.clear();
      } else if ("status".equals(event) && TERMINAL.contains(json.get("status").asText())) {
        finished = true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Feeds the connection's lines to a parser; the end of the connection is handled above. */
  private final class Parser implements Flow.Subscriber<String> {
    private final SseLineParser parser = new SseLineParser(ResumingSse.this::dispatch, () -> {});

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      parser.line(line);
    }

    @Override
    public void onError(Throwable throwable) {
      // the connection dropped: whenComplete reconnects
    }

    @Override
    public void onComplete() {}
  }
}
