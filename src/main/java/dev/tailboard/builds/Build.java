package dev.tailboard.builds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The summary of a build, as the API returns it and as event 1 of its stream carries it. Times are
 * ISO-8601 instants; {@code steps} in the order they started. {@code logBytes} (the UTF-8 bytes of
 * the stored log, one per line end included) is kept for {@code log.maxBytesPerBuild} only: it is
 * not part of the API, so it is left out of the JSON.
 */
public record Build(
    long id,
    String project,
    String title,
    String ref,
    String commit,
    String url,
    String status,
    List<Step> steps,
    long lineCount,
    long lastEventId,
    String createdAt,
    String startedAt,
    String finishedAt,
    @JsonIgnore long logBytes) {

  public boolean finished() {
    return BuildStatus.isTerminal(status);
  }

  public Build withProgress(
      String status,
      List<Step> steps,
      long lineCount,
      long lastEventId,
      String startedAt,
      String finishedAt) {
    return with(status, steps, lineCount, lastEventId, startedAt, finishedAt, logBytes);
  }

  /** This build with {@code added} more bytes of log. */
  public Build withMoreLogBytes(long added) {
    return with(status, steps, lineCount, lastEventId, startedAt, finishedAt, logBytes + added);
  }

  private Build with(
      String status,
      List<Step> steps,
      long lineCount,
      long lastEventId,
      String startedAt,
      String finishedAt,
      long logBytes) {
    return new Build(
        id,
        project,
        title,
        ref,
        commit,
        url,
        status,
        steps,
        lineCount,
        lastEventId,
        createdAt,
        startedAt,
        finishedAt,
        logBytes);
  }
}
