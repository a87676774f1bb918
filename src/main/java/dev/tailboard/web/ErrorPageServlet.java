package dev.tailboard.web;

import dev.tailboard.support.Json;
import dev.tailboard.support.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The error page of every error the container raises itself ({@code WEB-INF/web.xml}): a servlet's
 * {@code sendError}, an upload that idled past the container's read timeout, an exception that
 * escaped a filter. Under {@code /api} it answers with a {@link Problem}, the API's one error
 * format; elsewhere with a short text page. Never with an exception's message or stack trace: those
 * go to the server log, since a stack trace tells an attacker which versions run and where.
 *
 * <p>Errors JAX-RS raises do not come here: {@link ProblemMapper} answers them with an entity.
 */
@WebServlet(name = "ErrorPage", urlPatterns = ErrorPageServlet.PATH)
public class ErrorPageServlet extends HttpServlet {

  /** Where {@code web.xml} sends every error. */
  public static final String PATH = "/error";

  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());

  /** Not the CDI bean: the error page must answer even when the application failed to start. */
  private static final Json JSON = new Json();

  /*
   * service, not doGet: an error dispatch keeps the failed request's method, which may be one
   * HttpServlet's own dispatch answers with yet another error (PATCH, say).
   */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    Object error = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    String path = uri instanceof String u ? u : request.getRequestURI();
    // the response's status first: for an exception Tomcat may pass 500 in the attribute while
    // the answer is its 400 for a malformed body; a direct request (no attribute) is a 404
    int status = response.getStatus();
    if (status < 400) {
      status = code instanceof Integer c ? c : HttpServletResponse.SC_NOT_FOUND;
    }
    if (error instanceof Throwable t) {
      // a 4xx with an exception is the client's doing (Tomcat's unreadable chunk): not an alarm
      Level level = status >= 500 ? Level.SEVERE : Level.FINE;
      LOG.log(level, "Error " + status + " on " + path, t);
    }
    if (response.isCommitted()) {
      return; // part of the answer went out already: nothing sensible can follow it
    }
    response.setStatus(status);
    Problem problem = ErrorPages.problem(status);
    response.resetBuffer();
    response.setHeader("Cache-Control", "no-store");
    if (ErrorPages.isApi(path, request.getContextPath())) {
      write(response, Problem.MEDIA_TYPE, JSON.write(problem));
    } else {
      write(response, "text/plain;charset=UTF-8", problem.title() + "\n\n" + problem.detail());
    }
  }

  private static void write(HttpServletResponse response, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setContentType(type);
    response.setContentLength(bytes.length);
    try {
      response.getOutputStream().write(bytes);
    } catch (IllegalStateException writerTaken) {
      // the failed request's code had taken the writer: the response allows no stream now
      response.getWriter().write(body);
    }
  }
}
