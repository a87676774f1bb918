package dev.tailboard.room;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One member's WebSocket: sends are asynchronous, one at a time (JSR 356 allows one outstanding
 * async send), from a bounded queue. Ephemeral frames (cursor, point, presence) are dropped first
 * when the queue is long; a queue of stored frames that overflows closes the connection, and the
 * client resumes with {@code hello.resume}.
 */
public final class RoomConnection {

  private static final Logger LOG = Logger.getLogger(RoomConnection.class.getName());

  private final Session session;
  private final int maxQueued;
  private final long maxQueuedChars;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private long queuedChars;
  private boolean sending;
  private boolean closed;

  /** The thread inside {@link #write}, so a handler called on it knows it completed inline. */
  private Thread pumping;

  private boolean completedInline;
  private volatile long lastPong = System.currentTimeMillis();
  private final RateLimit rate;

  // set by hello
  volatile Frames.Member member;
  volatile Room room;

  RoomConnection(Session session, int maxQueued, long maxQueuedChars, int maxPerSecond) {
    this.session = session;
    this.maxQueued = maxQueued;
    this.maxQueuedChars = maxQueuedChars;
    this.rate = new RateLimit(maxPerSecond);
  }

  public String id() {
    return session.getId();
  }

  Session session() {
    return session;
  }

  RateLimit rate() {
    return rate;
  }

  /** Queues a frame that must arrive (stored messages, acks, replies); never blocks. */
  void send(String frame) {
    enqueue(frame, false);
  }

  /** Queues a frame that may be dropped when this member falls behind. */
  void sendEphemeral(String frame) {
    enqueue(frame, true);
  }

  private void enqueue(String frame, boolean ephemeral) {
    String next;
    synchronized (this) {
      if (closed) {
        return;
      }
      if (ephemeral && queue.size() >= maxQueued / 4) {
        return;
      }
      if (queue.size() >= maxQueued || queuedChars + frame.length() > maxQueuedChars) {
        closed = true;
        queue.clear();
        queuedChars = 0;
        next = null;
      } else {
        queue.add(frame);
        queuedChars += frame.length();
        if (sending) {
          return;
        }
        sending = true;
        next = poll();
      }
    }
    if (next == null) {
      close(CloseCodes.TRY_AGAIN, "too slow: resume with hello.resume");
      return;
    }
    write(next);
  }

  /**
   * Sends {@code frame} and, as long as each send completes at once (Jetty calls the handler on
   * this very thread when the socket takes the frame), the frames queued behind it: a loop, not a
   * recursion through the handler, so a long queue cannot overflow the stack.
   */
  private void write(String frame) {
    for (String next = frame; next != null; ) {
      synchronized (this) {
        pumping = Thread.currentThread();
        completedInline = false;
      }
      try {
        session.getAsyncRemote().sendText(next, this::sent);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "send failed", e);
        sent(new SendResult(e));
      }
      synchronized (this) {
        pumping = null;
        next = completedInline ? nextAfterSend() : null;
      }
    }
  }

  private void sent(SendResult result) {
    String next;
    synchronized (this) {
      if (!result.isOK() || closed) {
        sending = false;
        queue.clear();
        queuedChars = 0;
        return;
      }
      if (pumping == Thread.currentThread()) {
        completedInline = true; // the loop in write() sends the next one
        return;
      }
      next = nextAfterSend();
    }
    if (next != null) {
      write(next);
    }
  }

  /** The next frame to send, or null (and no send in flight) when the queue is empty. */
  private String nextAfterSend() {
    String next = poll();
    if (next == null) {
      sending = false;
    }
    return next;
  }

  private String poll() {
    String next = queue.poll();
    if (next != null) {
      queuedChars -= next.length();
    }
    return next;
  }

  synchronized int queued() {
    return queue.size();
  }

  void pong() {
    lastPong = System.currentTimeMillis();
  }

  long lastPong() {
    return lastPong;
  }

  void ping() {
    try {
      session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "ping failed", e);
    }
  }

  /** Closes with a code of the room protocol; safe to call more than once. */
  void close(CloseReason.CloseCode code, String reason) {
    synchronized (this) {
      closed = true;
      queue.clear();
    }
    try {
      if (session.isOpen()) {
        session.close(new CloseReason(code, reason));
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "close failed", e);
    }
  }
}
