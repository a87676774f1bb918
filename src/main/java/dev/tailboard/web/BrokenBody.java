package dev.tailboard.web;

import jakarta.ws.rs.WebApplicationException;
import java.util.Set;

/**
 * Tells a request body the container could not read (a malformed chunk, a body that ended before
 * its {@code Content-Length}) from a failure of the server: the first is the client's fault, a 400,
 * not a 500 logged as a server error. Containers say so each with an exception of their own, found
 * here by name, since the application cannot link against any of them.
 */
final class BrokenBody {

  static final String DETAIL =
      "The request's body could not be read: it ended early or its framing is malformed.";

  /**
   * Tomcat ({@code org.apache.coyote.BadRequestException}, {@code
   * org.apache.catalina.connector.BadRequestException}), Jetty ({@code BadMessageException}, {@code
   * EofException} and its {@code HttpEofException}), Open Liberty ({@code
   * com.ibm.wsspi.http.channel.exception.IllegalHttpBodyException}).
   */
  private static final Set<String> NAMES =
      Set.of(
          "BadRequestException",
          "BadMessageException",
          "EofException",
          "HttpEofException",
          "IllegalHttpBodyException");

  private BrokenBody() {}

  static boolean isCause(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 10; t = t.getCause(), depth++) {
      // JAX-RS's own BadRequestException is a WebApplicationException, answered before this
      if (!(t instanceof WebApplicationException) && NAMES.contains(t.getClass().getSimpleName())) {
        return true;
      }
    }
    return false;
  }
}
