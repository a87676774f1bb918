package dev.tailboard.web;

import dev.tailboard.support.Problem;
import dev.tailboard.support.ProblemException;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * What {@link ErrorPageServlet} says for an error the container raised: a fixed problem per status,
 * since all it knows is the status and perhaps an exception whose message is not for clients.
 */
final class ErrorPages {

  private static final String SERVER_FAILED = "The server failed; see its log.";

  private static final Map<Integer, String> DETAILS =
      Map.ofEntries(
          Map.entry(400, "The request is malformed: its request line, a header or its body."),
          Map.entry(404, "There is nothing at this path."),
          Map.entry(405, "This path does not take this method."),
          Map.entry(408, "The request's body stopped arriving; the server stopped waiting for it."),
          Map.entry(411, "The request needs a Content-Length."),
          Map.entry(413, "The request's body is too large."),
          Map.entry(414, "The request's URI is too long."),
          Map.entry(415, "The request's Content-Type is not one this path takes."),
          Map.entry(431, "The request's headers are too large."),
          Map.entry(500, SERVER_FAILED),
          Map.entry(503, "The server cannot answer now; try again later."));

  private ErrorPages() {}

  /** The problem for an error of this status; a status that is no error counts as a 500. */
  static Problem problem(int status) {
    int code = status >= 400 && status <= 599 ? status : 500;
    Response.Status known = Response.Status.fromStatusCode(code);
    String title = known != null ? known.getReasonPhrase() : code < 500 ? "Bad request" : "Error";
    String detail = DETAILS.getOrDefault(code, code < 500 ? title + "." : SERVER_FAILED);
    return new Problem(ProblemException.typeFor(code), title, code, detail);
  }

  /**
   * Whether the failed request was one of the API's: its URI as it came (not decoded, so a
   * malformed one still counts), inside the context path.
   */
  static boolean isApi(String requestUri, String contextPath) {
    String prefix = (contextPath == null ? "" : contextPath) + "/api";
    return requestUri != null
        && requestUri.startsWith(prefix)
        && (requestUri.length() == prefix.length()
            || requestUri.charAt(prefix.length()) == '/'
            || requestUri.charAt(prefix.length()) == '?');
  }
}
