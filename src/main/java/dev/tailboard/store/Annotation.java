package dev.tailboard.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A build annotation: a GitHub Actions workflow command {@code ::error}, {@code ::warning} or
 * {@code ::notice} found in the log, with its optional parameters ({@code file}, {@code line},
 * {@code col}, {@code endLine}, {@code endColumn}, {@code title}) unescaped. {@code logLine} is the
 * stored line number of the command line. The data of an {@code annotation} event, and a row of
 * {@code GET /api/builds/{id}/annotations}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Annotation(
    String level,
    String message,
    String file,
    Integer line,
    Integer col,
    Integer endLine,
    Integer endColumn,
    String title,
    long logLine) {

  public static final String ERROR = "error";
  public static final String WARNING = "warning";
  public static final String NOTICE = "notice";
  public static final List<String> LEVELS = List.of(ERROR, WARNING, NOTICE);

  /** This annotation with its texts (message, file, title) passed through {@code change}. */
  public Annotation withTexts(java.util.function.UnaryOperator<String> change) {
    return new Annotation(
        level,
        change.apply(message),
        file == null ? null : change.apply(file),
        line,
        col,
        endLine,
        endColumn,
        title == null ? null : change.apply(title),
        logLine);
  }

  /** This annotation at another stored line. */
  public Annotation atLogLine(long number) {
    return new Annotation(level, message, file, line, col, endLine, endColumn, title, number);
  }
}
