package dev.tailboard.rooms;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One member's WebSocket: sends are asynchronous, one at a time (JSR 356 allows one outstanding
 * async send), from a bounded queue. Ephemeral frames (cursor, point, presence) are dropped first
 * when the queue is long; a queue of stored frames that overflows closes the connection, and the
 * client resumes with {@code hello.resume}.
 *
 * <p>Whoever queues a frame (a room, under its lock) never touches the socket: the sends run on the
 * {@code sender} pool, whose tasks never block (async sends only), and pings and closes, which may
 * wait on this socket, run on the {@code blocking} pool. A send or ping that has not completed
 * within the write timeout gets the connection closed, and aborted if that does not end it ({@link
 * #closeIfStalled}, called by the service's ticker).
 */
public final class RoomConnection {

  private static final Logger LOG = Logger.getLogger(RoomConnection.class.getName());
  private static final CloseReason TOO_SLOW =
      new CloseReason(CloseCodes.TRY_AGAIN, "too slow: resume with hello.resume");

  private final Session session;
  private final int maxQueued;
  private final long maxQueuedChars;
  private final Executor sender;
  private final Executor blocking;
  private final RateLimit rate;

  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private long queuedChars;

  /** A pump is scheduled, running, or waiting for its send to complete. */
  private boolean pumping;

  /** No more frames are taken. */
  private boolean closing;

  /** The close to make once the queue is sent (a refusal after its error frame). */
  private CloseReason closeWhenSent;

  private boolean closeStarted;
  private boolean aborted;
  private boolean failed;

  /** A ping came due while a send was in flight: it goes out once that send completes. */
  private boolean pingWanted;

  /** When the close started (the 1013 of a stalled member may still be stuck behind its data). */
  private volatile long closingSince;

  /** {@link System#nanoTime} when the send in flight started; 0 when none is. */
  private volatile long sendStartedAt;

  /**
   * When the ping in flight started on its thread; 0 when none is. Not when it was queued: a ping
   * waiting for a free thread is not this socket's fault.
   */
  private volatile long pingStartedAt;

  /** A ping is queued or in flight. */
  private boolean pinging;

  /** When the oldest ping not answered by a pong went out; 0 when all were answered. */
  private volatile long unansweredPingSince;

  /** Whether it may write in its room (set on open); if not, it watches. */
  volatile boolean mayWrite;

  /** Set by hello; stays null for a watcher. */
  volatile Frames.Member member;

  volatile Room room;

  /**
   * The seq a resuming member already had when the room had not reached it ({@link Room#join}):
   * stored messages up to it are not sent again. Guarded by the room's lock.
   */
  long resumedThrough;

  /**
   * @param sender runs the sends; its tasks must never block
   * @param blocking runs pings and closes, which may wait on this socket (bounded by the
   *     container's send timeout)
   */
  RoomConnection(
      Session session,
      int maxQueued,
      long maxQueuedChars,
      int maxPerSecond,
      Executor sender,
      Executor blocking) {
    this.session = session;
    this.maxQueued = maxQueued;
    this.maxQueuedChars = maxQueuedChars;
    this.rate = new RateLimit(maxPerSecond);
    this.sender = sender;
    this.blocking = blocking;
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
    boolean overflow = false;
    boolean start = false;
    synchronized (this) {
      if (closing) {
        return;
      }
      if (ephemeral && queue.size() >= maxQueued / 4) {
        return;
      }
      if (queue.size() >= maxQueued || queuedChars + frame.length() > maxQueuedChars) {
        overflow = true;
      } else {
        queue.add(frame);
        queuedChars += frame.length();
        start = !pumping;
        pumping = true;
      }
    }
    if (overflow) {
      close(TOO_SLOW);
    } else if (start) {
      startPump();
    }
  }

  private void startPump() {
    try {
      sender.execute(this::pump);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        pumping = false;
      }
      close(new CloseReason(CloseCodes.TRY_AGAIN, "server busy: resume with hello.resume"));
    }
  }

  /**
   * Sends the queued frames, one at a time, with no lock held: the container may write a frame on
   * this very thread. As long as each send completes before {@code sendText} returns, this loop
   * goes on; otherwise the send's completion carries on (a loop, not a recursion through the
   * handler, so a long queue cannot overflow the stack).
   */
  private void pump() {
    while (true) {
      String next;
      CloseReason then = null;
      synchronized (this) {
        next = failed ? null : poll();
        if (next == null) {
          pumping = false;
          then = closeWhenSent;
          closeWhenSent = null;
        } else {
          sendStartedAt = now();
        }
      }
      if (next == null) {
        if (then != null) {
          closeSession(then);
        }
        return;
      }
      Send send = new Send();
      try {
        session.getAsyncRemote().sendText(next, send);
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "send failed", e);
        send.onResult(new SendResult(e));
      }
      if (!send.returned()) {
        return;
      }
    }
  }

  /** One send's completion; whichever of it and the pump's return comes second carries on. */
  private final class Send implements SendHandler {
    private boolean returned;
    private boolean done;

    @Override
    public void onResult(SendResult result) {
      boolean carryOn;
      boolean ping = false;
      synchronized (RoomConnection.this) {
        sendStartedAt = 0;
        done = true;
        if (!result.isOK()) {
          // the container is ending this connection; nothing queued will go out
          failed = true;
          closing = true;
          queue.clear();
          queuedChars = 0;
        } else if (pingWanted && !closing && !pinging) {
          pinging = true;
          ping = true;
        }
        pingWanted = false;
        carryOn = returned;
      }
      if (ping) {
        startPing();
      }
      if (carryOn) {
        pump();
      }
    }

    /** The pump returned from {@code sendText}: true if the send is already done. */
    boolean returned() {
      synchronized (RoomConnection.this) {
        returned = true;
        return done;
      }
    }
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
    unansweredPingSince = 0;
  }

  /** Whether a ping went out more than {@code limitNanos} ago with no pong since. */
  boolean pongOverdue(long now, long limitNanos) {
    long since = unansweredPingSince;
    return since != 0 && now - since > limitNanos;
  }

  /**
   * Pings on the blocking pool (JSR 356 has no async ping, and Jetty's blocks until the frame is
   * written). While a send is in flight the ping waits for it to complete rather than queue behind
   * it, so a stalled member never holds a thread through a ping it cannot take; its send is for the
   * write timeout to close.
   */
  void ping() {
    synchronized (this) {
      if (closing || pinging) {
        return;
      }
      if (sendStartedAt != 0) {
        pingWanted = true;
        return;
      }
      pinging = true;
    }
    startPing();
  }

  private void startPing() {
    try {
      blocking.execute(this::sendPing);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        pinging = false; // skipped this round; not counted as unanswered
      }
    }
  }

  private void sendPing() {
    pingStartedAt = now();
    try {
      if (unansweredPingSince == 0) {
        unansweredPingSince = now();
      }
      session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "ping failed", e);
    } finally {
      pingStartedAt = 0;
      synchronized (this) {
        pinging = false;
      }
    }
  }

  /** How long the send or ping in flight has been waiting on the socket; 0 if none is. */
  long stalledNanos(long now) {
    long send = sendStartedAt;
    long ping = pingStartedAt;
    return Math.max(send == 0 ? 0 : now - send, ping == 0 ? 0 : now - ping);
  }

  /**
   * Called by the ticker: a send or ping that has waited on the socket longer than {@code
   * limitNanos} closes the connection like an overflowing queue (1013). The close frame queues
   * behind the stuck data (Jetty) and reaches a member that starts reading again within one more
   * {@code limitNanos}; past that, or at once when a thread is waiting in a ping, the connection is
   * aborted. Returns whether it closed or aborted the connection now.
   */
  boolean closeIfStalled(long now, long limitNanos) {
    long send = sendStartedAt;
    long ping = pingStartedAt;
    boolean sendStalled = send != 0 && now - send > limitNanos;
    boolean pingStalled = ping != 0 && now - ping > limitNanos;
    if (!sendStalled && !pingStalled) {
      return false;
    }
    boolean abort;
    synchronized (this) {
      if (aborted) {
        return false;
      }
      long since = closeStarted ? closingSince : 0;
      abort = pingStalled || (since != 0 && now - since > limitNanos);
      aborted = abort;
    }
    close(TOO_SLOW);
    if (abort) {
      abort();
    }
    return true;
  }

  /**
   * Ends the connection without waiting for the socket to take anything. JSR 356 has no abort, and
   * neither Jetty's close (it queues the close frame behind the stuck data) nor its send timeout
   * (12.1 marks the flusher failed but waits for the pending write) ends a stalled socket; the idle
   * timeout does, by failing the pending write. Tomcat has already closed the socket when its 1013
   * could not go out within 50 ms; there this is a backstop for its 10 s session checks.
   */
  private void abort() {
    try {
      session.setMaxIdleTimeout(1);
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "abort failed", e);
    }
  }

  /**
   * Closes with a code of the room protocol now, dropping what is queued; safe to call more than
   * once, and never waits on the socket.
   */
  void close(CloseReason.CloseCode code, String reason) {
    close(new CloseReason(code, reason));
  }

  private void close(CloseReason reason) {
    synchronized (this) {
      closing = true;
      queue.clear();
      queuedChars = 0;
      closeWhenSent = null;
    }
    closeSession(reason);
  }

  /** Closes once the frames queued so far are sent (a refusal goes out after its error frame). */
  void closeAfterQueued(CloseReason.CloseCode code, String reason) {
    CloseReason now;
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      if (pumping) {
        closeWhenSent = new CloseReason(code, reason);
        return;
      }
      now = new CloseReason(code, reason);
    }
    closeSession(now);
  }

  /**
   * On the blocking pool: Tomcat's close sends the close frame with a blocking write (bounded by
   * its send timeouts); Jetty's only queues it.
   */
  private void closeSession(CloseReason reason) {
    synchronized (this) {
      if (closeStarted) {
        return;
      }
      closeStarted = true;
      closingSince = now();
    }
    try {
      blocking.execute(() -> closeNow(reason));
    } catch (RejectedExecutionException e) {
      // the container's send and idle timeouts still end the connection
      LOG.log(Level.FINE, "close not scheduled", e);
    }
  }

  private void closeNow(CloseReason reason) {
    try {
      if (session.isOpen()) {
        session.close(reason);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "close failed", e);
    }
  }

  /** A clock reading that is never 0, which the fields above use for "none". */
  private static long now() {
    long t = System.nanoTime();
    return t == 0 ? 1 : t;
  }
}
