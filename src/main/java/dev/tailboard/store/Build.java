package dev.tailboard.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The summary of a build, as the API returns it and as event 1 of its stream carries it. Times are
 * ISO-8601 instants; {@code steps} in the order they started. {@code logBytes} (the UTF-8 bytes of
 * the stored log, one per line end included) is kept for {@code log.maxBytesPerBuild} only: it is
 * not part of the API, so it is left out of the JSON; so is {@code maskCount}, the number of secret
 * values registered for the build, which tells a node whether its compiled masker is stale.
 *
 * <p>What failed, kept as lines are appended (docs/failures.md): {@code errorCount} lines marked as
 * errors so far, the first of them ({@code firstErrorLine}, its number, and {@code firstError}, its
 * text as shown, without ANSI escapes, at most {@value #FIRST_ERROR_CHARS} characters; both null
 * while there is none) and the {@code annotations} counted by level (zeros when none).
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
    @JsonIgnore int maskCount,
    long errorCount,
    Long firstErrorLine,
    String firstError,
    AnnotationCounts annotations) {

  /** The most characters of {@code firstError}. */
  public static final int FIRST_ERROR_CHARS = 200;

  public Build {
    annotations = annotations == null ? AnnotationCounts.NONE : annotations;
  }

  /** A build with no error line and no annotation. */
  public Build(
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
      long logBytes,
      int maskCount) {
    this(
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
        maskCount,
        0,
        null,
        null,
        AnnotationCounts.NONE);
  }

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

  /**
   * This build with {@code added} more error lines, the first of them at {@code line} showing
   * {@code text} (kept only if the build had none yet), and these annotation counts.
   */
  public Build withErrors(long added, long line, String text, AnnotationCounts counts) {
    boolean first = firstErrorLine == null && added > 0;
    Failures f =
        new Failures(
            errorCount + added,
            first ? Long.valueOf(line) : firstErrorLine,
            first ? text : firstError,
            counts);
    return with(
        status, steps, lineCount, lastEventId, startedAt, finishedAt, logBytes, maskCount, f);
  }

  /** This build with {@code text} as the first error's (masked, say). */
  public Build withFirstError(String text) {
    Failures f = new Failures(errorCount, firstErrorLine, text, annotations);
    return with(
        status, steps, lineCount, lastEventId, startedAt, finishedAt, logBytes, maskCount, f);
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
    Failures f = new Failures(errorCount, firstErrorLine, firstError, annotations);
    return with(
        status, steps, lineCount, lastEventId, startedAt, finishedAt, logBytes, maskCount, f);
  }

  private Build with(
      String status,
      List<Step> steps,
      long lineCount,
      long lastEventId,
      String startedAt,
      String finishedAt,
      long logBytes,
      int maskCount,
      Failures f) {
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
        maskCount,
        f.errorCount,
        f.firstErrorLine,
        f.firstError,
        f.annotations);
  }

  /** The failure summary's fields, changed together. */
  private record Failures(
      long errorCount, Long firstErrorLine, String firstError, AnnotationCounts annotations) {}
}
