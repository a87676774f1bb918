package dev.tailboard.builds;

import dev.tailboard.net.ClientOutput;
import dev.tailboard.store.StoredEvent;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * Delivers hub events to one SSE stream: the event's bytes, encoded once for all the build's
 * subscribers, go straight to the stream's non-blocking {@link ClientOutput}. The JAX-RS sink
 * opened the stream and closes it. Without an output (a container where the streaming filter did
 * not run) it writes through the sink, which blocks this thread until the client takes the bytes.
 */
final class SseDelivery extends OutputDelivery {

  static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);

  private final SseEventSink sink;
  private final Sse sse;
  private final SseEncoder encoder;
  private volatile long writingSince;

  SseDelivery(SseEventSink sink, Sse sse, SseEncoder encoder, ClientOutput output) {
    super(output);
    this.sink = sink;
    this.sse = sse;
    this.encoder = encoder;
  }

  @Override
  public void send(StoredEvent event) throws IOException {
    EncodedSseEvent encoded = encoder.encode(event);
    if (output != null) {
      output.send(encoded.frame());
    } else {
      write(encoded);
    }
  }

  @Override
  public void heartbeat() throws IOException {
    if (output != null) {
      output.send(PING);
    } else {
      write(sse.newEventBuilder().comment("ping").build());
    }
  }

  @Override
  protected long blockingWriteSince() {
    return writingSince;
  }

  @Override
  public void close() {
    closeSink(sink);
  }

  @Override
  public void abort() {
    if (output != null) {
      output.abort();
    }
    closeSink(sink);
  }

  private void write(OutboundSseEvent event) throws IOException {
    writingSince = System.currentTimeMillis();
    try {
      write(sink, event);
    } finally {
      writingSince = 0;
    }
  }

  static void closeSink(SseEventSink sink) {
    try {
      sink.close();
    } catch (RuntimeException e) {
      // the client is gone already; nothing to tell it
    }
  }

  /** Writes one event to {@code sink} on this thread; a closed or failed sink is an IOException. */
  static void write(SseEventSink sink, OutboundSseEvent event) throws IOException {
    if (sink.isClosed()) {
      throw new IOException("SSE sink closed");
    }
    try {
      // Jersey writes on this thread (into the ClientOutput where there is one); the stage is
      // already complete.
      sink.send(event).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new IOException("SSE write failed", e.getCause());
    }
  }
}
