package dev.tailboard.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The summary of a build, as the API returns it and as event 1 of its stream carries it. Times are
 * ISO-8601 instants; {@code steps} in the order they started. {@code logBytes} (the UTF-8 bytes of
 * the stored log, one per line end included) is kept for {@code log.maxBytesPerBuild} only: it is
 * not part of the API, so it is left out of the JSON; so is {@code maskCount}, the number of secret
 * values registered for the build, which tells a node whether its compiled masker is stale.
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
    @JsonIgnore long logBytes,
    @JsonIgnore int maskCount) {

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
    return with(status, steps, lineCount, lastEventId, startedAt, finishedAt, logBytes, maskCount);
  }

  /** This build with {@code added} more bytes of log. */
  public Build withMoreLogBytes(long added) {
    return with(
        status, steps, lineCount, lastEventId, startedAt, finishedAt, logBytes + added, maskCount);
  }

  /** This build with {@code added} more registered mask values. */
  public Build withMoreMasks(int added) {
    return with(
        status, steps, lineCount, lastEventId, startedAt, finishedAt, logBytes, maskCount + added);
  }

  private Build with(
      String status,
      List<Step> steps,
      long lineCount,
      long lastEventId,
      String startedAt,
      String finishedAt,
      long logBytes,
      int maskCount) {
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
        logBytes,
        maskCount);
  }
}
