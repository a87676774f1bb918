package dev.tailboard.net;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Puts every GET under {@code /api} that turns asynchronous (SSE streams, long-polls) on
 * non-blocking output, whichever JAX-RS runtime serves it: Jersey in the WAR, RESTEasy on the full
 * platforms. Other requests pass through untouched.
 */
@WebFilter(
    filterName = "Streaming",
    urlPatterns = {"/api/*"},
    asyncSupported = true)
public class StreamingFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  private transient ClientOutputs outputs;

  @Override
  public void init() {
    // filters are not CDI beans on every container (Weld servlet on Jetty/Tomcat): look it up
    outputs = CDI.current().select(ClientOutputs.class).get();
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!"GET".equals(req.getMethod())) {
      chain.doFilter(req, res);
      return;
    }
    StreamingResponse response = new StreamingResponse(res);
    chain.doFilter(
        new StreamingRequest(req, response, outputs, outputs.clientAddress(req)), response);
  }
}
