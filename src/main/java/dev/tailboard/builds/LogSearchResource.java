package dev.tailboard.builds;

import dev.tailboard.auth.Access;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.web.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Searches a build's whole stored log on the server, so a page holding only part of a big log (or
 * none of it yet) finds every match: the text a terminal would show (no ANSI escapes, the part
 * after the last {@code \r}), case-insensitive, in line order, a page of matches at a time.
 */
@Path("/builds/{id}/log/search")
@RequestScoped
public class LogSearchResource {

  /** One matching line. */
  public record Match(long line, String text) {}

  /** A page of matches; {@code next} is the {@code from} of the next page, null at the end. */
  public record Matches(String query, List<Match> matches, Long next) {}

  @Inject BuildService builds;
  @Inject Access access;
  @Inject Config config;
  @Inject LogScanner scanner;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Matches search(
      @PathParam("id") long id,
      @QueryParam("q") String q,
      @QueryParam("from") Long from,
      @QueryParam("limit") Integer limit)
      throws IOException {
    Build build = builds.find(id);
    access.requireRead(security, build.project());
    int maxQuery = config.integer(Setting.SEARCH_MAX_QUERY_CHARS);
    if (q == null || q.isEmpty() || q.length() > maxQuery) {
      throw ProblemException.badRequest(
          "q is required: 1 to " + maxQuery + " characters (search.maxQueryChars)");
    }
    int max = config.integer(Setting.SEARCH_MAX_MATCHES);
    int want = limit == null ? max : limit;
    if (want < 1 || want > max || (from != null && from < 1)) {
      throw ProblemException.badRequest(
          "limit must be 1 to " + max + " (search.maxMatches) and from ≥ 1");
    }
    String needle = TerminalText.fold(q);
    List<Match> matches = new ArrayList<>();
    long start = from == null ? 1 : from;
    long last =
        scanner.scan(
            id,
            start,
            build.lineCount(),
            (n, line) -> {
              String shown = TerminalText.shown(line);
              if (TerminalText.fold(shown).contains(needle)) {
                matches.add(new Match(n, shown));
              }
              return matches.size() < want;
            });
    Long next = matches.size() == want && last < build.lineCount() ? last + 1 : null;
    return new Matches(q, matches, next);
  }
}
