package dev.tailboard.build;

import dev.tailboard.hub.Delivery;
import dev.tailboard.store.StoredEvent;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/** Delivers hub events to one JAX-RS SSE sink. */
final class SseDelivery implements Delivery {

  private final SseEventSink sink;
  private final Sse sse;
  private final SseEncoder encoder;

  SseDelivery(SseEventSink sink, Sse sse, SseEncoder encoder) {
    this.sink = sink;
    this.sse = sse;
    this.encoder = encoder;
  }

  @Override
  public void send(StoredEvent event) throws IOException {
    // encoded once for all the build's subscribers, written in one piece
    write(encoder.encode(event));
  }

  @Override
  public void heartbeat() throws IOException {
    write(sse.newEventBuilder().comment("ping").build());
  }

  @Override
  public void close() {
    try {
      sink.close();
    } catch (RuntimeException e) {
      // the client is gone already; nothing to tell it
    }
  }

  private void write(OutboundSseEvent event) throws IOException {
    write(sink, event);
  }

  /** Writes one event to {@code sink} on this thread; a closed or failed sink is an IOException. */
  static void write(SseEventSink sink, OutboundSseEvent event) throws IOException {
    if (sink.isClosed()) {
      throw new IOException("SSE sink closed");
    }
    try {
      // Jersey writes synchronously on this thread; the stage is already complete.
      sink.send(event).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new IOException("SSE write failed", e.getCause());
    }
  }
}
