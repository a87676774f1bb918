package dev.tailboard.ui;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the pages that live under a path with an id in it: the build page for {@code /builds/{id}}
 * (deep links {@code /builds/{id}#L123} too: the fragment never reaches the server) and the free
 * room page for {@code /rooms/{name}}. Each page reads its id from its own URL and does the rest in
 * the browser; the JAX-RS API under {@code /api} is untouched.
 */
@WebFilter(
    filterName = "Pages",
    urlPatterns = {"/builds/*", "/rooms/*"})
public class PageFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /** A page, the paths it answers and where its canonical path is. */
  record Page(String prefix, Pattern path, String resource) {}

  static final List<Page> PAGES =
      List.of(
          new Page(
              "/builds/",
              Pattern.compile("/builds/([1-9][0-9]{0,18})(/?)"),
              "/WEB-INF/ui/build.html"),
          // a build's room is the build page's panel, so /rooms/build-N is the build page
          new Page("/builds/", Pattern.compile("/rooms/build-([1-9][0-9]{0,18})(/?)"), null),
          new Page(
              "/rooms/",
              Pattern.compile("/rooms/([a-z0-9][a-z0-9-]{0,63})(/?)"),
              "/WEB-INF/ui/room.html"));

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
      throws IOException, ServletException {
    String method = req.getMethod();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return;
    }
    String path = req.getRequestURI().substring(req.getContextPath().length());
    for (Page page : PAGES) {
      Matcher m = page.path().matcher(path);
      if (!m.matches()) {
        continue;
      }
      if (page.resource() == null || !m.group(2).isEmpty()) {
        // "/builds/42/" would resolve the page's relative URLs one level too deep
        resp.sendRedirect(req.getContextPath() + page.prefix() + m.group(1));
        return;
      }
      resp.setHeader("Cache-Control", "no-cache");
      req.getRequestDispatcher(page.resource()).forward(req, resp);
      return;
    }
    resp.sendError(HttpServletResponse.SC_NOT_FOUND);
  }
}
