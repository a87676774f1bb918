package dev.tailboard.net;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One long-lived response's way to the client's socket, on which no thread ever waits: writes put
 * bytes in a queue bounded in bytes, and the queue is drained into the container's output with
 * servlet non-blocking I/O ({@link WriteListener}). While the socket takes what it is given, the
 * thread that queued the bytes also writes them (one write in flight, never two); when it stops
 * taking them the container calls {@link #onWritePossible} later, on its own thread. Everything
 * queued while a write waits goes out together, flushed once.
 *
 * <p>Bounds: {@link #hasRoom()} is false once {@code roomBytes} are waiting, which is when a
 * well-behaved writer stops and asks {@link #whenRoom} to be called back; past {@code limitBytes}
 * the connection is cut. A socket that has taken nothing for the write deadline is cut by {@link
 * ClientOutputs}' ticker through {@link #abort}. No lock of this class is held while calling the
 * container.
 */
public final class ClientOutput implements WriteListener {

  /** The request attribute under which a streaming response's output is found. */
  public static final String ATTRIBUTE = ClientOutput.class.getName();

  private static final Logger LOG = Logger.getLogger(ClientOutput.class.getName());

  private final ServletOutputStream out;
  private final long roomBytes;
  private final long limitBytes;
  private final LongSupplier clock;
  private final String client;
  private final Consumer<ClientOutput> onEnd;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private AsyncContext async;
  private long queued;
  private boolean listening;
  private boolean draining;
  private boolean awaitingContainer;
  private boolean wokenWhileDraining;
  private boolean completeRequested;
  private boolean completed;
  private boolean dead;
  private boolean endReported;
  private long blockedSince;
  private final List<Runnable> roomWaiters = new ArrayList<>(1);

  /** Only the draining thread touches this. */
  private boolean flushPending;

  ClientOutput(
      ServletOutputStream out,
      long roomBytes,
      long limitBytes,
      LongSupplier clock,
      String client,
      Consumer<ClientOutput> onEnd) {
    this.out = out;
    this.onEnd = onEnd;
    this.roomBytes = roomBytes;
    this.limitBytes = limitBytes;
    this.clock = clock;
    this.client = client;
  }

  /** The client address this connection counts against. */
  String client() {
    return client;
  }

  /** Switches to non-blocking output; called once the request is asynchronous. */
  void listen(AsyncContext async) {
    synchronized (this) {
      this.async = async;
      listening = true;
      // bytes wait for the container's first onWritePossible: before it nothing may be written
      awaitingContainer = true;
    }
    out.setWriteListener(this);
  }

  synchronized boolean listening() {
    return listening;
  }

  /**
   * Queues {@code bytes} for the client and starts writing them if no write is in flight; never
   * blocks. The array is not copied: the caller must not change it afterwards (events encoded once
   * are shared by every subscriber this way).
   *
   * @throws IOException if the connection is gone or was cut for being over its byte limit
   */
  public void send(byte[] bytes) throws IOException {
    push(bytes);
    pump();
  }

  /**
   * Queues {@code bytes} without writing: for a caller that must queue under a lock of its own
   * (several streams sharing one connection keep their order that way) and {@link #pump}s after
   * releasing it.
   */
  public void push(byte[] bytes) throws IOException {
    long behind;
    synchronized (this) {
      if (dead) {
        throw new IOException("connection closed");
      }
      behind = queued;
      if (queued + bytes.length <= limitBytes) {
        queue.add(bytes);
        queued += bytes.length;
        return;
      }
    }
    abort();
    throw new IOException("client too slow: " + behind + " bytes waiting, " + client);
  }

  /** Writes what is queued unless a write is in flight already (its writer will). */
  public void pump() {
    synchronized (this) {
      if (draining || awaitingContainer || dead || queue.isEmpty()) {
        return;
      }
      draining = true;
    }
    drain();
  }

  /** True while fewer than {@code roomBytes} wait for the socket and the connection is open. */
  public synchronized boolean hasRoom() {
    return !dead && queued < roomBytes;
  }

  /**
   * Calls {@code resume} once, on some thread, when the queue has drained (or the connection
   * ended); returns false without keeping it if there is room already.
   */
  public synchronized boolean whenRoom(Runnable resume) {
    if (dead || queued < roomBytes) {
      return false;
    }
    roomWaiters.add(resume);
    return true;
  }

  /** When the socket last refused bytes it still has not taken (clock millis), else 0. */
  public synchronized long blockedSince() {
    return blockedSince;
  }

  public synchronized boolean closed() {
    return dead || completeRequested;
  }

  /** Bytes waiting for the socket. */
  public synchronized long queuedBytes() {
    return queued;
  }

  /** Ends the response once everything queued has reached the socket. */
  public void complete() {
    AsyncContext toComplete;
    synchronized (this) {
      completeRequested = true;
      if (completed || !listening || draining || awaitingContainer || !queue.isEmpty()) {
        return; // the drain completes it
      }
      completed = true;
      toComplete = async;
    }
    completeQuietly(toComplete);
  }

  /**
   * Drops whatever is queued and ends the connection now (too slow, or stalled). Only one thread
   * touches the container's stream at a time: if a drain is running, it completes the response.
   */
  public void abort() {
    List<Runnable> waiters;
    boolean completeHere;
    synchronized (this) {
      if (dead) {
        return;
      }
      waiters = abortLater();
      completeHere = listening && !draining && !completed;
      if (completeHere) {
        completed = true;
      }
    }
    waiters.forEach(Runnable::run);
    if (completeHere) {
      abortResponse();
    } else if (!listening) {
      reportEnd();
    }
  }

  /**
   * Completes a response whose client may have stopped reading. Jetty aborts the connection at once
   * when isReady() was false last; Tomcat and Undertow complete it and close the socket at their
   * own timeouts. No thread waits either way.
   */
  private void abortResponse() {
    try {
      out.isReady();
    } catch (RuntimeException e) {
      LOG.log(Level.FINEST, "isReady of a cut connection", e);
    }
    completeQuietly(async);
  }

  /** Marks the connection dead under the lock; returns the room waiters to wake outside it. */
  private List<Runnable> abortLater() {
    dead = true;
    queue.clear();
    queued = 0;
    blockedSince = 0;
    return takeWaiters();
  }

  private List<Runnable> takeWaiters() {
    if (roomWaiters.isEmpty()) {
      return List.of();
    }
    List<Runnable> waiters = List.copyOf(roomWaiters);
    roomWaiters.clear();
    return waiters;
  }

  @Override
  public void onWritePossible() {
    synchronized (this) {
      if (draining) {
        wokenWhileDraining = true;
        return;
      }
      draining = true;
      awaitingContainer = false;
    }
    drain();
  }

  @Override
  public void onError(Throwable t) {
    LOG.log(Level.FINE, "client gone", t);
    abort();
  }

  private void drain() {
    try {
      while (true) {
        byte[] chunk;
        boolean cut = false;
        synchronized (this) {
          wokenWhileDraining = false;
          if (dead) {
            draining = false;
            cut = !completed;
            completed = true;
          }
          chunk = dead ? null : queue.poll();
          if (chunk != null) {
            queued -= chunk.length;
          }
        }
        if (cut) {
          abortResponse(); // aborted while this drain ran: it ends the response
          return;
        }
        if (dead()) {
          return;
        }
        if (chunk != null) {
          if (!out.isReady()) {
            unpoll(chunk);
            if (park()) {
              return;
            }
            continue;
          }
          out.write(chunk);
          flushPending = true;
          continue;
        }
        if (!out.isReady()) {
          if (park()) {
            return;
          }
          continue;
        }
        if (flushPending) {
          flushPending = false;
          out.flush();
          continue; // a flush in progress makes isReady() false until it is done
        }
        if (idle()) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.FINE, "write failed", e);
      synchronized (this) {
        draining = false;
      }
      abort();
    }
  }

  private synchronized boolean dead() {
    return dead;
  }

  private synchronized void unpoll(byte[] chunk) {
    queue.addFirst(chunk);
    queued += chunk.length;
  }

  /** The container will call onWritePossible; returns false if it already has meanwhile. */
  private boolean park() {
    synchronized (this) {
      if (wokenWhileDraining && !dead) {
        wokenWhileDraining = false;
        return false;
      }
      draining = false;
      awaitingContainer = !dead;
      if (blockedSince == 0) {
        blockedSince = clock.getAsLong();
      }
      return true;
    }
  }

  /** Everything queued reached the socket: wake a waiting writer, complete if asked to. */
  private boolean idle() {
    List<Runnable> waiters;
    AsyncContext toComplete = null;
    synchronized (this) {
      if (!queue.isEmpty() && !dead) {
        return false;
      }
      draining = false;
      blockedSince = 0;
      waiters = takeWaiters();
      if (completeRequested && !completed) {
        completed = true;
        toComplete = async;
      }
    }
    waiters.forEach(Runnable::run);
    if (toComplete != null) {
      completeQuietly(toComplete);
    }
    return true;
  }

  private void reportEnd() {
    synchronized (this) {
      if (endReported) {
        return;
      }
      endReported = true;
    }
    onEnd.accept(this);
  }

  private void completeQuietly(AsyncContext async) {
    try {
      async.complete();
    } catch (RuntimeException e) {
      LOG.log(Level.FINEST, "complete of an ended response", e);
    }
    reportEnd();
  }
}
