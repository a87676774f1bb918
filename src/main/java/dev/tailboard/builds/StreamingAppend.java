package dev.tailboard.builds;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a streamed text body in batches, so {@code cmd | curl -T - URL} is live: a batch goes
 * out when {@link #MAX_BATCH} lines wait, when the reader says the client paused, or at the latest
 * {@link #MAX_DELAY_MILLIS} after its first line arrived. The deadline runs on the flusher's thread
 * because a client may keep the bytes coming without ever pausing, and because a connection that
 * breaks is not reported by every container: lines already received are then still published.
 */
final class StreamingAppend {

  static final int MAX_BATCH = 1000;
  static final long MAX_DELAY_MILLIS = 50;

  private final BuildService builds;
  private final long buildId;
  private final String step;
  private final ScheduledExecutorService flusher;
  private List<String> pending = new ArrayList<>();
  private ScheduledFuture<?> due;
  private AppendReply first;
  private AppendReply last;
  private RuntimeException failure;
  private boolean publishing;

  StreamingAppend(
      BuildService builds, long buildId, String step, ScheduledExecutorService flusher) {
    this.builds = builds;
    this.buildId = buildId;
    this.step = step;
    this.flusher = flusher;
  }

  /** Adds a line; throws the failure of an earlier batch (409, 413) to end the upload. */
  void add(String line) {
    synchronized (this) {
      // bounded: a full batch waits for the one being stored (the store, never a client)
      while (pending.size() >= MAX_BATCH && publishing) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while the log was stored", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      pending.add(line);
      if (pending.size() < MAX_BATCH) {
        if (due == null) {
          due = flusher.schedule(this::flush, MAX_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
        return;
      }
    }
    flush();
  }

  /**
   * Publishes what is pending now. The store write and the fan-out run outside this object's
   * monitor, so the reader adding lines never waits on them; one thread publishes at a time, in
   * order, and takes the batches that arrive meanwhile too.
   */
  void flush() {
    synchronized (this) {
      if (due != null) {
        due.cancel(false);
        due = null;
      }
      if (publishing) {
        return; // the publishing thread takes what is pending when its batch is done
      }
      publishing = true;
    }
    while (true) {
      List<String> batch;
      synchronized (this) {
        if (pending.isEmpty() || failure != null) {
          publishing = false;
          notifyAll();
          return;
        }
        batch = pending;
        pending = new ArrayList<>();
      }
      publish(batch);
    }
  }

  private void publish(List<String> batch) {
    try {
      AppendReply reply = builds.appendLog(buildId, null, batch, step, null);
      synchronized (this) {
        first = first == null ? reply : first;
        last = reply;
        if (reply.wasTruncated()) {
          failure = LogResource.truncated(reply);
        }
      }
    } catch (RuntimeException e) {
      synchronized (this) {
        failure = e;
      }
    }
  }

  /** Flushes and waits for a publish running on the flusher's thread to end. */
  private void flushAll() {
    flush();
    synchronized (this) {
      while (publishing) {
        try {
          wait(); // releases the monitor: the publisher needs it to finish
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    flush(); // lines a finished publisher left behind
  }

  /**
   * The upload broke off: publishes the complete lines received and says, for the answer, which
   * lines of the upload are stored.
   */
  String keep() {
    flushAll();
    if (last == null) {
      return "No line of this upload is stored.";
    }
    return "Lines " + first.first() + " to " + last.last() + " of the log are stored.";
  }

  /** Publishes the rest and answers for the whole body: its first and last line. */
  AppendReply finish() {
    flushAll();
    if (failure != null) {
      throw failure;
    }
    if (last == null) {
      // an empty body: nothing appended, but the caller still learns where the log stands
      last = builds.appendLog(buildId, null, List.of(), step, null);
      first = last;
    }
    return new AppendReply(first.first(), last.last(), last.lastEventId());
  }
}
