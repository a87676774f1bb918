package dev.tailboard.ui;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the build page for {@code /builds/{id}} (deep links {@code /builds/{id}#L123} too: the
 * fragment never reaches the server). The page reads the id from its own URL and does the rest in
 * the browser; the JAX-RS API under {@code /api} is untouched.
 */
@WebFilter(
    filterName = "BuildPage",
    urlPatterns = {"/builds/*"})
public class BuildPageFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  static final String PAGE = "/WEB-INF/ui/build.html";
  private static final Pattern PATH = Pattern.compile("/builds/([1-9][0-9]{0,18})(/?)");

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    String method = req.getMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return;
    }
    String path = req.getRequestURI().substring(req.getContextPath().length());
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      resp.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    if (!m.group(2).isEmpty()) {
      // /builds/42/ would resolve the page's relative URLs one level too deep.
      resp.sendRedirect(req.getContextPath() + "/builds/" + m.group(1));
      return;
    }
    resp.setHeader("Cache-Control", "no-cache");
    req.getRequestDispatcher(PAGE).forward(req, resp);
  }
}
