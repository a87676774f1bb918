package dev.tailboard.build;

import dev.tailboard.hub.Delivery;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.web.Json;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One SSE connection carrying several build streams (and the dashboard feed) for the tabs of one
 * browser ({@code /api/streams}). Each stream is a hub subscription of its own writing through a
 * {@link Part}; writes are serialised on this object. Every event's data is wrapped as {@code
 * {"key", "build"?, "id"?, "data"}} and its id lists the position of every stream, so the browser's
 * reconnect resumes them all. A stream whose build finished ends alone; a stream cut for being slow
 * (or a failed write) closes the whole connection, to be resumed from the store.
 */
final class SharedConnection {

  private final SseEventSink sink;
  private final Sse sse;
  private final Json json;
  private final long quietNanos;
  private final Map<String, String> positions = new LinkedHashMap<>();
  private int open;
  private long lastWrite = System.nanoTime();

  SharedConnection(SseEventSink sink, Sse sse, Json json, long heartbeatMillis) {
    this.sink = sink;
    this.sse = sse;
    this.json = json;
    this.quietNanos = heartbeatMillis * 1_000_000L / 2;
  }

  /** A build stream's part; {@code after} is where it starts. */
  synchronized Part build(StreamRequest request, long after) {
    positions.put(request.key(), request.position(after));
    open++;
    return new Part(request.key(), request);
  }

  /** The dashboard feed's part. */
  synchronized Part feed(String key) {
    open++;
    return new Part(key, null);
  }

  /** Writes an event for stream {@code key} outside the hub (a summary first, a reset). */
  void sendDirect(String key, long build, String type, String data) throws IOException {
    write(key, build, 0, type, data);
  }

  private synchronized void write(String key, long build, long id, String type, String data)
      throws IOException {
    StringBuilder wrapped = new StringBuilder(data.length() + 64);
    wrapped.append("{\"key\":").append(json.write(key));
    if (build > 0) {
      wrapped.append(",\"build\":").append(build);
    }
    if (id > 0) {
      wrapped.append(",\"id\":").append(id);
      positions.put(key, key + "." + build + ":" + id);
    }
    wrapped.append(",\"data\":").append(data).append('}');
    var event = sse.newEventBuilder().name(type).data(wrapped.toString());
    if (id > 0) {
      StringJoiner all = new StringJoiner(",");
      positions.values().forEach(all::add);
      event.id(all.toString());
    }
    SseDelivery.write(sink, event.build());
    lastWrite = System.nanoTime();
  }

  private synchronized void heartbeat() throws IOException {
    // every part's subscription beats; one comment per interval is enough
    if (System.nanoTime() - lastWrite >= quietNanos) {
      SseDelivery.write(sink, sse.newEventBuilder().comment("ping").build());
      lastWrite = System.nanoTime();
    }
  }

  private synchronized void ended(boolean finished) {
    open--;
    if (!finished || open <= 0) {
      closeAll();
    }
  }

  /** Ends the connection: the browser reconnects and resumes every stream. */
  synchronized void closeAll() {
    try {
      sink.close();
    } catch (RuntimeException e) {
      // the client is gone already
    }
  }

  /** One stream of the connection, as the hub sees it. */
  final class Part implements Delivery {
    private final String key;
    private final StreamRequest request;
    private boolean finished;

    private Part(String key, StreamRequest request) {
      this.key = key;
      this.request = request;
    }

    @Override
    public void send(StoredEvent event) throws IOException {
      long build = request == null ? 0 : request.build();
      write(key, build, request == null ? 0 : event.id(), event.type(), event.data());
      if ("status".equals(event.type())
          && BuildStatus.isTerminal(json.read(event.data(), StatusChange.class).status())) {
        finished = true;
      }
    }

    @Override
    public void heartbeat() throws IOException {
      SharedConnection.this.heartbeat();
    }

    @Override
    public void close() {
      ended(finished);
    }
  }
}
