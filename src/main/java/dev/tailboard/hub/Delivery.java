package dev.tailboard.hub;

import dev.tailboard.store.StoredEvent;
import java.io.IOException;

/**
 * Where a subscription's events go: an SSE sink, later a WebSocket. The hub calls each method from
 * one writer thread at a time, never from a publisher's thread, so implementations may block on the
 * network.
 */
public interface Delivery {

  /** Writes one event and flushes it. */
  void send(StoredEvent event) throws IOException;

  /** Writes a keep-alive that carries no event. */
  void heartbeat() throws IOException;

  /** Ends the connection; the client resumes from the last id it got. Must not throw. */
  void close();
}
