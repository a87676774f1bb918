package dev.tailboard.net;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * A GET under {@code /api} as the JAX-RS runtime sees it: when the runtime makes it asynchronous
 * (an SSE sink, a suspended long-poll), its response switches to a {@link ClientOutput}, and the
 * runtime's {@code complete()} waits until that output has drained, so the last event is never lost
 * to an early completion.
 */
final class StreamingRequest extends HttpServletRequestWrapper {

  private final StreamingResponse response;
  private final ClientOutputs outputs;
  private final String client;
  private DeferredAsyncContext async;

  StreamingRequest(
      HttpServletRequest request,
      StreamingResponse response,
      ClientOutputs outputs,
      String client) {
    super(request);
    this.response = response;
    this.outputs = outputs;
    this.client = client;
  }

  @Override
  public AsyncContext startAsync() {
    return startAsync(this, response);
  }

  @Override
  public synchronized AsyncContext startAsync(ServletRequest req, ServletResponse resp) {
    AsyncContext real = super.startAsync(req, resp);
    if (async == null) {
      ClientOutput output;
      try {
        output = outputs.open(response.getResponse().getOutputStream(), client);
      } catch (IOException e) {
        throw new IllegalStateException("no output stream", e);
      }
      real.addListener(new Ended(output));
      setAttribute(ClientOutput.ATTRIBUTE, output);
      response.output(output, real);
      output.listen(real);
      async = new DeferredAsyncContext(real, output, this, response);
    }
    return async;
  }

  @Override
  public synchronized AsyncContext getAsyncContext() {
    return async != null ? async : super.getAsyncContext();
  }

  /** Forgets the output when the container ends the response, however it ends. */
  private final class Ended implements AsyncListener {
    private final ClientOutput output;

    Ended(ClientOutput output) {
      this.output = output;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      outputs.closed(output);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // the runtime's own listener answers its timeout (a long-poll's empty answer)
    }

    @Override
    public void onError(AsyncEvent event) {
      output.abort();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }
}
