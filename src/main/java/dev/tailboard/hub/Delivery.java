package dev.tailboard.hub;

import dev.tailboard.store.StoredEvent;
import java.io.IOException;

/**
 * Where a subscription's events go: one client connection. The hub calls {@link #send} and {@link
 * #heartbeat} from one thread at a time, never a publisher's, and only while {@link #ready()}: an
 * implementation hands the bytes to the connection's bounded output and returns without waiting for
 * the client. When the output is full the hub stops and asks {@link #whenReady} to be woken, so a
 * client that stops reading holds a bounded number of bytes and no thread.
 */
public interface Delivery {

  /** Hands one event to the connection; does not wait for the client to take it. */
  void send(StoredEvent event) throws IOException;

  /** Hands over a keep-alive that carries no event. */
  void heartbeat() throws IOException;

  /**
   * True when the connection can take another event now without passing its output bound. The
   * defaults fit a delivery inside this process that takes every event at once.
   */
  default boolean ready() {
    return true;
  }

  /**
   * Calls {@code resume} once, on any thread, when the connection can take events again or has
   * ended; returns false, keeping nothing, if it can already.
   */
  default boolean whenReady(Runnable resume) {
    return false;
  }

  /**
   * Since when (epoch millis) the client has not taken bytes handed to it, or 0 if it keeps up;
   * past the write deadline the hub aborts the connection.
   */
  default long blockedSince() {
    return 0;
  }

  /**
   * How many subscriptions share this delivery's connection (the streams of one {@code
   * /api/streams} connection): each may queue {@code 1/n} of {@code sse.queueBytes} (and always one
   * event), so a connection holds at most that many queued bytes, plus one event per stream,
   * however many streams it carries.
   */
  default int queueShares() {
    return 1;
  }

  /** Ends the connection once what was handed over has gone out. Never waits; never throws. */
  void close();

  /** Ends the connection now, dropping what waits (too slow, stalled). Never waits or throws. */
  default void abort() {
    close();
  }
}
