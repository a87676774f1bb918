package dev.tailboard.builds;

import dev.tailboard.auth.Access;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.store.Build;
import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Searches a build's whole stored log on the server, so a page holding only part of a big log (or
 * none of it yet) finds every match: the text a terminal would show (no ANSI escapes, the part
 * after the last {@code \r}), case-insensitive, in line order, a page of matches at a time. Each
 * request scans a bounded part of the log and at most {@code search.maxConcurrent} run at once.
 */
@Path("/builds/{id}/log/search")
@RequestScoped
public class LogSearchResource {

  /** One matching line. */
  public record Match(long line, String text) {}

  /**
   * A page of matches; {@code next} is the {@code from} of the next page, null at the end. A page
   * cut short by the search's budget ({@code search.maxScanLines}, {@code search.budgetMillis}) has
   * fewer matches than asked for, maybe none, and a {@code next}.
   */
  public record Matches(String query, List<Match> matches, Long next) {}

  @Inject BuildMasks masks;
  @Inject BuildService builds;
  @Inject Access access;
  @Inject Config config;
  @Inject LogScanner scanner;
  @Inject SearchSlots slots;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response search(
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
    return slots.answer(() -> scan(build, q, from == null ? 1 : from, want));
  }

  /**
   * Matches from line {@code start} on until {@code want} are found, the log ends or the budget is
   * spent; {@code next} is then the first line not scanned.
   */
  private Matches scan(Build build, String q, long start, int want) throws IOException {
    String needle = TerminalText.fold(q);
    List<Match> matches = new ArrayList<>();
    SearchBudget budget =
        new SearchBudget(
            config.longNumber(Setting.SEARCH_MAX_SCAN_LINES),
            config.longNumber(Setting.SEARCH_BUDGET_MILLIS));
    long end = build.lineCount();
    long[] next = {0};
    scanner.scan(
        build.id(),
        start,
        end,
        (n, line) -> {
          if (!budget.take()) {
            next[0] = n;
            return false;
          }
          String shown = TerminalText.shown(line);
          if (TerminalText.fold(shown).contains(needle)) {
            matches.add(new Match(n, shown));
          }
          next[0] = n + 1;
          return matches.size() < want;
        });
    // the query is echoed masked too: a search for a secret gets no match and no copy of it
    return new Matches(
        masks.forBuild(build).mask(q), matches, next[0] > 0 && next[0] <= end ? next[0] : null);
  }
}
