package dev.tailboard.builds;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tailboard.auth.Access;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.store.Build;
import dev.tailboard.store.EventStore;
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
import java.util.List;

/**
 * What changed since the last green run: the lines of a build's log that are new against another
 * build's log — by default the last passed build of the same project and ref — compared by {@link
 * DiffRule} (timestamps, durations, hex ids and temporary paths do not count). Both logs are read
 * from the store a bounded page at a time ({@link LogScanner}); the diff scans like a search, so it
 * takes one of the {@code search.maxConcurrent} slots (429 when none is free).
 */
@Path("/builds/{id}/diff")
@RequestScoped
public class DiffResource {

  static final String LAST_PASSED = "last-passed";

  /**
   * The answer: this build, the one it was compared with, the rule's name and the new lines in log
   * order, with {@code truncated: true} only when a bound ({@code diff.maxLines}, {@code
   * diff.maxResults}) cut the comparison short.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Diff(
      long build, long against, String rule, List<LogDiff.NewLine> lines, Boolean truncated) {}

  @Inject BuildService builds;
  @Inject EventStore store;
  @Inject Access access;
  @Inject Config config;
  @Inject LogScanner scanner;
  @Inject SearchSlots slots;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response diff(@PathParam("id") long id, @QueryParam("against") String against)
      throws IOException {
    Build build = builds.find(id);
    access.requireRead(security, build.project());
    Build other = against(build, against == null ? LAST_PASSED : against);
    access.requireRead(security, other.project());
    int maxLines = config.integer(Setting.DIFF_MAX_LINES);
    int maxResults = config.integer(Setting.DIFF_MAX_RESULTS);
    return slots.answer(
        () -> {
          LogDiff.Result result =
              new LogDiff(maxLines, maxResults).newLines(lines(build), lines(other));
          return new Diff(
              build.id(),
              other.id(),
              DiffRule.NAME,
              result.lines(),
              result.truncated() ? Boolean.TRUE : null);
        });
  }

  /** The build named by {@code against}: {@code last-passed} or a build id. */
  private Build against(Build build, String against) {
    if (LAST_PASSED.equals(against)) {
      return store
          .lastPassed(build.project(), build.ref(), build.id())
          .orElseThrow(
              () ->
                  ProblemException.notFound(
                      "No passed build of project "
                          + build.project()
                          + (build.ref() == null ? " without a ref" : " on ref " + build.ref())
                          + " before build "
                          + build.id()
                          + " to compare with"));
    }
    long otherId;
    try {
      otherId = Long.parseLong(against);
    } catch (NumberFormatException e) {
      throw ProblemException.badRequest("against must be last-passed or a build id");
    }
    return builds.find(otherId);
  }

  private LogDiff.Lines lines(Build b) {
    return visitor -> scanner.scan(b.id(), 1, b.lineCount(), visitor);
  }
}
