package dev.tailboard.net;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The stream a JAX-RS runtime writes a streaming response to. Before the response is asynchronous
 * it is the container's stream; after, bytes gather here until the runtime flushes (after each
 * event) and then go to the {@link ClientOutput} as one piece: a copy, because the runtime may
 * reuse its buffers. A runtime that writes with a {@link WriteListener} of its own (RESTEasy) is
 * told it may write at once, and again whenever the output has room after being full.
 */
final class QueuedOutputStream extends ServletOutputStream {

  private static final int MAX_GATHERED = 64 * 1024;

  private final StreamingResponse response;
  private final ByteArrayOutputStream gathered = new ByteArrayOutputStream(256);
  private volatile WriteListener listener;

  QueuedOutputStream(StreamingResponse response) {
    this.response = response;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (response.output() == null) {
      response.containerStream().write(b, off, len);
      return;
    }
    boolean full;
    synchronized (this) {
      gathered.write(b, off, len);
      full = gathered.size() >= MAX_GATHERED;
    }
    if (full) {
      flush();
    }
  }

  @Override
  public void flush() throws IOException {
    ClientOutput output = response.output();
    if (output == null) {
      response.containerStream().flush();
      return;
    }
    byte[] bytes;
    synchronized (this) {
      if (gathered.size() == 0) {
        return;
      }
      bytes = gathered.toByteArray();
      gathered.reset();
    }
    if (output.closed()) {
      // cut or ended: Jersey never completes its response if a flush in its close() throws
      return;
    }
    output.send(bytes);
  }

  @Override
  public void close() throws IOException {
    if (response.output() == null) {
      response.containerStream().close();
    } else {
      flush(); // the response ends when the runtime completes its AsyncContext
    }
  }

  @Override
  public boolean isReady() {
    ClientOutput output = response.output();
    if (output == null) {
      return true;
    }
    if (output.hasRoom()) {
      return true;
    }
    WriteListener l = listener;
    if (l != null && !output.whenRoom(() -> writable(l))) {
      return true; // it drained meanwhile
    }
    return false;
  }

  @Override
  public void setWriteListener(WriteListener l) {
    if (response.output() == null) {
      try {
        response.containerStream().setWriteListener(l);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    listener = l;
    writable(l);
  }

  /** Tells a runtime's listener it may write: on a container thread, as a container would. */
  private void writable(WriteListener l) {
    response.startOnContainer(
        () -> {
          try {
            l.onWritePossible();
          } catch (IOException | RuntimeException e) {
            l.onError(e);
          }
        });
  }
}
