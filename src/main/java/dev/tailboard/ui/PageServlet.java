package dev.tailboard.ui;

import static java.nio.charset.StandardCharsets.UTF_8;

import jakarta.servlet.ServletContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the pages that live under a path with an id in it: the build page for {@code /builds/{id}}
 * (deep links {@code /builds/{id}#L123} too: the fragment never reaches the server) and the free
 * room page for {@code /rooms/{name}}. Each page reads its id from its own URL and does the rest in
 * the browser; the JAX-RS API under {@code /api} is untouched.
 *
 * <p>The pages carry the one import map, {@code WEB-INF/ui/importmap.json}, inline where they say
 * {@value #IMPORT_MAP_MARKER}: import maps cannot be loaded by URL, and one file keeps the pages
 * from drifting apart. The Content-Security-Policy allows it by its hash ({@code
 * web.SecurityHeadersFilter}, from {@link #render}). A servlet, not a filter, so every filter (the
 * security headers among them) has run when it answers; other methods than GET and HEAD get 405.
 */
@WebServlet(
    name = "Pages",
    urlPatterns = {"/builds/*", "/rooms/*"})
public class PageServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  /** A page, the paths it answers and where its canonical path is. */
  public record Page(String prefix, Pattern path, String resource) {}

  public static final List<Page> PAGES =
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

  static final String IMPORT_MAP_MARKER = "<!-- importmap -->";
  static final String IMPORT_MAP = "/WEB-INF/ui/importmap.json";

  /** Each page's resource and its text as served. */
  private transient Map<String, byte[]> rendered;

  @Override
  public void init() {
    ServletContext context = getServletContext();
    Map<String, byte[]> pages = new HashMap<>();
    for (Page page : PAGES) {
      if (page.resource() != null) {
        pages.put(page.resource(), render(context, page.resource()).getBytes(UTF_8));
      }
    }
    rendered = Map.copyOf(pages);
  }

  /** The page at {@code resource} as served: its import map marker replaced by the map. */
  public static String render(ServletContext context, String resource) {
    return render(read(context, resource), read(context, IMPORT_MAP));
  }

  public static String render(String html, String importMap) {
    return html.replace(
        IMPORT_MAP_MARKER, "<script type=\"importmap\">\n" + importMap + "</script>");
  }

  private static String read(ServletContext context, String resource) {
    try (InputStream in = context.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("The WAR has no " + resource);
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    serve(req, resp, true);
  }

  @Override
  protected void doHead(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    serve(req, resp, false);
  }

  private void serve(HttpServletRequest req, HttpServletResponse resp, boolean withBody)
      throws IOException {
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
      byte[] body = rendered.get(page.resource());
      resp.setHeader("Cache-Control", "no-cache");
      resp.setContentType("text/html;charset=UTF-8");
      resp.setContentLength(body.length);
      if (withBody) {
        resp.getOutputStream().write(body);
      }
      return;
    }
    resp.sendError(HttpServletResponse.SC_NOT_FOUND);
  }
}
