package dev.tailboard.builds;

import java.util.List;

/**
 * The summary of a build, as the API returns it and as event 1 of its stream carries it. Times are
 * ISO-8601 instants; {@code steps} in the order they started.
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
    String finishedAt) {

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
        finishedAt);
  }
}
