package dev.tailboard.net;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/** The container's AsyncContext, except that {@code complete()} waits for the output to drain. */
final class DeferredAsyncContext implements AsyncContext {

  private final AsyncContext real;
  private final ClientOutput output;
  private final ServletRequest request;
  private final StreamingResponse response;

  DeferredAsyncContext(
      AsyncContext real, ClientOutput output, ServletRequest request, StreamingResponse response) {
    this.real = real;
    this.output = output;
    this.request = request;
    this.response = response;
  }

  @Override
  public void complete() {
    // a runtime may leave its last bytes unflushed and count on complete() to send them
    try {
      response.getOutputStream().flush();
    } catch (IOException e) {
      // the connection is gone: the output completes without them
    }
    output.complete();
  }

  @Override
  public ServletRequest getRequest() {
    return request;
  }

  @Override
  public ServletResponse getResponse() {
    return response;
  }

  @Override
  public boolean hasOriginalRequestAndResponse() {
    return false;
  }

  @Override
  public void dispatch() {
    real.dispatch();
  }

  @Override
  public void dispatch(String path) {
    real.dispatch(path);
  }

  @Override
  public void dispatch(ServletContext context, String path) {
    real.dispatch(context, path);
  }

  @Override
  public void start(Runnable run) {
    real.start(run);
  }

  @Override
  public void addListener(AsyncListener listener) {
    real.addListener(listener);
  }

  @Override
  public void addListener(
      AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
    real.addListener(listener, servletRequest, servletResponse);
  }

  @Override
  public <T extends AsyncListener> T createListener(Class<T> clazz) throws ServletException {
    return real.createListener(clazz);
  }

  @Override
  public void setTimeout(long timeout) {
    real.setTimeout(timeout);
  }

  @Override
  public long getTimeout() {
    return real.getTimeout();
  }
}
