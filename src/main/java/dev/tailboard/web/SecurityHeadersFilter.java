package dev.tailboard.web;

import dev.tailboard.ui.PageServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The headers that keep a page from being turned against its reader, on every response (pages,
 * static files, the API): a {@code Content-Security-Policy} that runs scripts from this origin only
 * (plus the inline import maps, by the sha256 of their text), connects to this origin only and may
 * be framed by this origin only; {@code X-Content-Type-Options: nosniff}; {@code Referrer-Policy:
 * same-origin}. The hashes are computed when the filter starts, from the pages as they are served
 * ({@link PageServlet#render}), so an edited import map can never be refused by a stale hash.
 *
 * <p>Also on forwards and error dispatches, so an error page does not lose the headers.
 */
@WebFilter(
    filterName = "SecurityHeaders",
    urlPatterns = {"/*"},
    dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.ERROR},
    asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  /** An inline script element: no {@code src}, its text up to the closing tag. */
  private static final Pattern INLINE_SCRIPT =
      Pattern.compile(
          "<script\\b(?![^>]*\\bsrc\\s*=)[^>]*>(.*?)</script>",
          Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  private String policy;

  @Override
  public void init() {
    policy = policy(pages(getServletContext()));
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    res.setHeader("Content-Security-Policy", policy);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    chain.doFilter(req, res);
  }

  /**
   * The policy for pages whose HTML is {@code pages}.
   *
   * <p>{@code style-src} allows inline styles: the log's ANSI colours are {@code style} attributes
   * (ansi_up, which also writes 256-colour and true-colour values no class list could name), and
   * CodeMirror 6 injects its theme as style elements where a browser lacks constructed style
   * sheets. A style cannot run script; scripts stay limited to this origin.
   */
  static String policy(Collection<String> pages) {
    Set<String> hashes = new TreeSet<>();
    for (String html : pages) {
      Matcher m = INLINE_SCRIPT.matcher(html);
      while (m.find()) {
        hashes.add("'sha256-" + sha256(m.group(1)) + "'");
      }
    }
    String scripts = hashes.isEmpty() ? "" : " " + String.join(" ", hashes);
    return "default-src 'self'; script-src 'self'"
        + scripts
        + "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self';"
        + " frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'";
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** The pages as served: the dashboard and every page {@link PageServlet} serves. */
  private static List<String> pages(ServletContext context) {
    List<String> pages = new ArrayList<>();
    pages.add(PageServlet.render(context, "/index.html"));
    for (PageServlet.Page page : PageServlet.PAGES) {
      if (page.resource() != null) {
        pages.add(PageServlet.render(context, page.resource()));
      }
    }
    return pages;
  }
}
