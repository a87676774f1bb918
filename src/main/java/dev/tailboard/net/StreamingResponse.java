package dev.tailboard.net;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * The response of a {@link StreamingRequest}: until the request turns asynchronous its stream is
 * the container's; from then on what the JAX-RS runtime writes is queued in the {@link
 * ClientOutput} and goes out without a thread waiting.
 */
final class StreamingResponse extends HttpServletResponseWrapper {

  private volatile ClientOutput output;
  private volatile AsyncContext async;
  private QueuedOutputStream stream;

  StreamingResponse(HttpServletResponse response) {
    super(response);
  }

  void output(ClientOutput output, AsyncContext async) {
    this.async = async;
    this.output = output;
  }

  /** Runs {@code task} on a container thread of this asynchronous response. */
  void startOnContainer(Runnable task) {
    async.start(task);
  }

  ClientOutput output() {
    return output;
  }

  ServletOutputStream containerStream() throws IOException {
    return getResponse().getOutputStream();
  }

  @Override
  public synchronized ServletOutputStream getOutputStream() {
    if (stream == null) {
      stream = new QueuedOutputStream(this);
    }
    return stream;
  }

  @Override
  public void flushBuffer() throws IOException {
    if (output == null) {
      super.flushBuffer();
    } else {
      getOutputStream().flush();
    }
  }
}
