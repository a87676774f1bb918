package dev.tailboard.builds;

import dev.tailboard.net.ClientOutput;
import dev.tailboard.store.BuildStatus;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.Json;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One SSE connection carrying several build streams (and the dashboard feed) for the tabs of one
 * browser ({@code /api/streams}). Each stream is a hub subscription writing through a {@link Part}
 * into the connection's one bounded {@link ClientOutput}, whose single writer takes them to the
 * socket; the lock here guards only the positions and the order in which frames are queued, never a
 * write to the client. Every event's data is wrapped as {@code {"key", "build"?, "id"?, "data"}}
 * around the event's data bytes, encoded once for every connection; its id lists the position of
 * every stream, so the browser's reconnect resumes them all. A stream whose build finished ends
 * alone; a stream cut for being slow (or a failed write) ends the whole connection, to be resumed
 * from the store.
 */
final class SharedConnection {

  private static final byte[] END = "}\n\n".getBytes(StandardCharsets.US_ASCII);

  private final SseEventSink sink;
  private final Sse sse;
  private final Json json;
  private final SseEncoder encoder;
  private final ClientOutput output;
  private final long quietNanos;
  private final int shares;
  private final Map<String, String> positions = new LinkedHashMap<>();
  private int open;
  private long lastWrite = System.nanoTime();

  SharedConnection(
      SseEventSink sink,
      Sse sse,
      Json json,
      SseEncoder encoder,
      ClientOutput output,
      long heartbeatMillis,
      int shares) {
    this.sink = sink;
    this.shares = shares;
    this.sse = sse;
    this.json = json;
    this.encoder = encoder;
    this.output = output;
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
    write(key, build, 0, type, null, data);
  }

  private void write(String key, long build, long id, String type, byte[] dataLine, String data)
      throws IOException {
    synchronized (this) {
      StringBuilder head = new StringBuilder(96).append("event: ").append(type).append('\n');
      if (id > 0) {
        positions.put(key, key + "." + build + ":" + id);
        StringJoiner all = new StringJoiner(",", encoder.epoch() + "/", "");
        positions.values().forEach(all::add);
        head.append("id: ").append(all).append('\n');
      }
      head.append("data: {\"key\":").append(json.write(key));
      if (build > 0) {
        head.append(",\"build\":").append(build);
      }
      if (id > 0) {
        head.append(",\"id\":").append(id);
      }
      head.append(",\"data\":");
      if (output == null) {
        writeToSink(type, head, data);
      } else {
        output.push(head.toString().getBytes(StandardCharsets.UTF_8));
        output.push(dataLine != null ? dataLine : dataLines(data));
        output.push(END);
      }
      lastWrite = System.nanoTime();
    }
    if (output != null) {
      output.pump();
    }
  }

  /** Data that spans lines (never JSON from the hub) as SSE continuation lines. */
  private static byte[] dataLines(String data) {
    return data.replaceAll("\r\n|\r|\n", "\ndata: ").getBytes(StandardCharsets.UTF_8);
  }

  /** Without a ClientOutput: through the sink, which blocks until the client takes it. */
  private void writeToSink(String type, StringBuilder head, String data) throws IOException {
    String frame = head.append(data).append('}').toString();
    var event = sse.newEventBuilder().name(type);
    int idAt = frame.indexOf("\nid: ");
    if (idAt >= 0) {
      event.id(frame.substring(idAt + 5, frame.indexOf('\n', idAt + 1)));
    }
    event.data(frame.substring(frame.indexOf("data: ") + 6));
    SseDelivery.write(sink, event.build());
  }

  private void heartbeat() throws IOException {
    synchronized (this) {
      // every part's subscription beats; one comment per interval is enough
      if (System.nanoTime() - lastWrite < quietNanos) {
        return;
      }
      lastWrite = System.nanoTime();
      if (output == null) {
        SseDelivery.write(sink, sse.newEventBuilder().comment("ping").build());
        return;
      }
      output.push(SseDelivery.PING);
    }
    output.pump();
  }

  private void ended(boolean finished) {
    boolean last;
    synchronized (this) {
      open--;
      last = open <= 0;
    }
    if (!finished) {
      abortAll();
    } else if (last) {
      SseDelivery.closeSink(sink);
    }
  }

  /** Ends the connection now: the browser reconnects and resumes every stream. */
  void abortAll() {
    if (output != null) {
      output.abort();
    }
    SseDelivery.closeSink(sink);
  }

  /** One stream of the connection, as the hub sees it. */
  final class Part extends OutputDelivery {
    private final String key;
    private final StreamRequest request;
    private boolean finished;

    private Part(String key, StreamRequest request) {
      super(SharedConnection.this.output);
      this.key = key;
      this.request = request;
    }

    @Override
    public void send(StoredEvent event) throws IOException {
      long build = request == null ? 0 : request.build();
      byte[] dataLine = output == null ? null : encoder.encode(event).dataLine();
      write(key, build, request == null ? 0 : event.id(), event.type(), dataLine, event.data());
      if ("status".equals(event.type())
          && BuildStatus.isTerminal(json.read(event.data(), StatusChange.class).status())) {
        finished = true;
      }
    }

    @Override
    public void heartbeat() throws IOException {
      SharedConnection.this.heartbeat();
    }

    /** The connection's streams share one {@code sse.queueBytes}. */
    @Override
    public int queueShares() {
      return shares;
    }

    @Override
    public void close() {
      ended(finished);
    }

    @Override
    public void abort() {
      ended(false);
    }
  }
}
