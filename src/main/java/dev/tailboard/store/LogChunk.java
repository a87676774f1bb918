package dev.tailboard.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The data of a {@code log} event: consecutive lines starting at line number {@code first}. {@code
 * errors} are the 0-based indexes within {@code lines} of the lines that report an error (marked at
 * ingestion, docs/failures.md), in ascending order; absent when there are none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogChunk(
    long first, List<String> lines, String step, String stream, String ts, List<Integer> errors) {

  public LogChunk {
    errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
  }

  /** A chunk with no error line. */
  public LogChunk(long first, List<String> lines, String step, String stream, String ts) {
    this(first, lines, step, stream, ts, null);
  }

  /** The same chunk with other lines (masked ones: a line keeps its index, so its errors too). */
  public LogChunk withLines(List<String> other) {
    return new LogChunk(first, other, step, stream, ts, errors);
  }
}
