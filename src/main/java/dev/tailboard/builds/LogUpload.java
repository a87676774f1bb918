package dev.tailboard.builds;

import dev.tailboard.support.ProblemException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads a text/plain log body with servlet non-blocking I/O: the container calls back when bytes
 * arrive, so a build that prints nothing for minutes holds a connection but no thread. Two forms:
 *
 * <ul>
 *   <li>streamed (no {@code seq}): lines are published as they arrive ({@link StreamingAppend}); if
 *       the upload breaks (client gone, the quiet limit, a container error) every complete line
 *       received is stored and published, and the answer, if the client can still take one, is
 *       problem+json naming the lines kept;
 *   <li>one chunk ({@code seq}): the body is collected (bounded) and stored as a whole once it is
 *       complete, or not at all: the publisher retries it with the same {@code seq}.
 * </ul>
 *
 * <p>The upload is never ended by the container's async timeout (it is switched off) but by {@code
 * log.streamIdleSeconds} without a byte, checked here so the limit and its answer are the same on
 * every container.
 */
final class LogUpload implements ReadListener, AsyncListener {

  private static final Logger LOG = Logger.getLogger(LogUpload.class.getName());

  /** What the body is turned into: lines published as they come, or one chunk. */
  interface Sink {
    void bytes(byte[] data, int length);

    /** The client paused: publish what is complete. */
    void paused();

    /** The body is complete; the answer. */
    AppendReply end();

    /** The body broke off: keep what can be kept; a sentence saying what that is. */
    String broke();
  }

  private final ServletInputStream in;
  private final AsyncResponse response;
  private final Sink sink;
  private final ScheduledExecutorService timer;
  private final Executor worker;
  private final long idleNanos;
  private final ConnectionIdleTimeout idleTimeout;
  private final Function<AppendReply, Response> answer;
  private final byte[] buffer = new byte[16 * 1024];
  private volatile long lastBytes = System.nanoTime();
  private ScheduledFuture<?> idleCheck;
  private boolean done;

  private LogUpload(
      ServletInputStream in,
      AsyncResponse response,
      Sink sink,
      ScheduledExecutorService timer,
      Executor worker,
      long idleSeconds,
      ConnectionIdleTimeout idleTimeout,
      Function<AppendReply, Response> answer) {
    this.in = in;
    this.response = response;
    this.sink = sink;
    this.timer = timer;
    this.worker = worker;
    this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
    this.idleTimeout = idleTimeout;
    this.answer = answer;
  }

  /**
   * Starts reading the body of the async request {@code async}; {@code response} gets the answer.
   */
  static void start(
      AsyncContext async,
      AsyncResponse response,
      Sink sink,
      ScheduledExecutorService timer,
      Executor worker,
      long idleSeconds,
      Function<AppendReply, Response> answer)
      throws IOException {
    // the upload has its own quiet limit; the container's async timeout would count from the start
    async.setTimeout(0);
    // a little longer than ours, so ours ends the upload and its answer can still be written
    ConnectionIdleTimeout idle =
        ConnectionIdleTimeout.raise(
            async.getRequest(), TimeUnit.SECONDS.toMillis(idleSeconds + 30));
    LogUpload upload =
        new LogUpload(
            async.getRequest().getInputStream(),
            response,
            sink,
            timer,
            worker,
            idleSeconds,
            idle,
            answer);
    try {
      async.addListener(upload);
      synchronized (upload) {
        upload.scheduleIdleCheck(upload.idleNanos);
      }
      upload.in.setReadListener(upload);
    } catch (RuntimeException e) {
      synchronized (upload) {
        upload.done = true;
        upload.cleanUp();
      }
      throw e;
    }
  }

  // The container's callbacks only hand over to a worker (IngestWorkers says why). Reading on
  // the worker is still non-blocking: it reads while isReady(), and isReady() returning false
  // makes the container call onDataAvailable again when more bytes come.

  @Override
  public void onDataAvailable() {
    worker.execute(this::pump);
  }

  private void pump() {
    try {
      synchronized (this) {
        while (!done && in.isReady()) {
          int n = in.read(buffer);
          if (n < 0) {
            return; // onAllDataRead follows
          }
          lastBytes = System.nanoTime();
          sink.bytes(buffer, n);
        }
        if (!done) {
          sink.paused();
        }
      }
    } catch (IOException e) {
      broke(e);
    } catch (RuntimeException e) {
      // 409 terminal, 413 past the caps: answered as is, what was stored stays
      finish(e);
    }
  }

  @Override
  public void onAllDataRead() {
    worker.execute(this::end);
  }

  private void end() {
    Object result;
    synchronized (this) {
      if (done) {
        return;
      }
      try {
        result = answer.apply(sink.end());
      } catch (RuntimeException e) {
        result = e;
      }
    }
    finish(result);
  }

  @Override
  public void onError(Throwable t) {
    worker.execute(() -> broke(t));
  }

  // AsyncListener: some containers report a broken connection here rather than to the reader

  @Override
  public void onError(AsyncEvent event) {
    Throwable t = event.getThrowable();
    worker.execute(() -> broke(t));
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    worker.execute(() -> broke(new TimeoutException("the container's async timeout")));
  }

  @Override
  public void onComplete(AsyncEvent event) {
    worker.execute(this::completedElsewhere);
  }

  private void completedElsewhere() {
    synchronized (this) {
      if (!done) {
        // completed by someone else (the container shutting down): nothing more will come
        done = true;
        sink.broke();
        cleanUp();
      }
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // the listener stays registered
  }

  private void broke(Throwable cause) {
    String kept;
    synchronized (this) {
      if (done) {
        return;
      }
      kept = sink.broke();
    }
    boolean quiet = isTimeout(cause);
    LOG.log(Level.FINE, "log upload broke off: " + kept, cause);
    // the cause stays in the server's log: its class names and messages are the container's
    // internals, not something a client can act on
    String why =
        quiet ? "no bytes came for too long" : "the connection failed or its framing broke";
    finish(
        new ProblemException(
            quiet ? 408 : 400,
            quiet ? "Request timeout" : "Bad request",
            "The upload ended before its body did: " + why + ". " + kept));
  }

  private static boolean isTimeout(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof SocketTimeoutException
          || t.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private void finish(Object result) {
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      cleanUp();
    }
    // outside the lock: writing the answer may block on a slow client. resume(Object) would
    // send a Throwable as an entity, so errors take the overload that maps them.
    if (result instanceof Throwable error) {
      response.resume(error);
    } else {
      response.resume(result);
    }
  }

  private void cleanUp() {
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    idleTimeout.restore();
  }

  private void scheduleIdleCheck(long delayNanos) {
    idleCheck = timer.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void checkIdle() {
    long quiet = System.nanoTime() - lastBytes;
    synchronized (this) {
      if (done) {
        return;
      }
      if (quiet < idleNanos) {
        scheduleIdleCheck(idleNanos - quiet);
        return;
      }
    }
    // answered by a worker: this is the one flush-deadline thread of every upload
    TimeoutException timeout =
        new TimeoutException(
            "no bytes for " + TimeUnit.NANOSECONDS.toSeconds(quiet) + " s (log.streamIdleSeconds)");
    worker.execute(() -> broke(timeout));
  }

  /** Lines published as they arrive. */
  static Sink streamed(StreamingAppend upload, int maxLineChars, LineReader.Cut cut) {
    LineReader lines = new LineReader(maxLineChars, upload::add, cut);
    return new Sink() {
      @Override
      public void bytes(byte[] data, int length) {
        lines.feed(data, 0, length);
      }

      @Override
      public void paused() {
        upload.flush();
      }

      @Override
      public AppendReply end() {
        lines.end();
        return upload.finish();
      }

      @Override
      public String broke() {
        // an unfinished last line is left out: it may be cut anywhere, even inside a character
        return upload.keep();
      }
    };
  }

  /** One chunk, stored whole once the body is complete. */
  static Sink chunk(int maxBytes, Function<List<String>, AppendReply> store) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    return new Sink() {
      @Override
      public void bytes(byte[] data, int length) {
        if (body.size() + length > maxBytes) {
          throw ProblemException.tooLarge(
              "A chunk body may have at most " + maxBytes + " bytes (log.maxBodyBytes)");
        }
        body.write(data, 0, length);
      }

      @Override
      public void paused() {
        // a chunk is stored whole
      }

      @Override
      public AppendReply end() {
        return store.apply(LineReader.lines(body.toByteArray(), Integer.MAX_VALUE));
      }

      @Override
      public String broke() {
        return "Nothing of this chunk is stored; send it again with the same seq.";
      }
    };
  }
}
