package dev.tailboard.builds;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a log append: the line numbers stored (from 1) and the build's last event id.
 * {@code truncated} is set when lines past {@code log.maxLinesPerBuild} were refused; it is kept
 * with the chunk's {@code seq}, so a retry gets the same 413.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppendReply(long first, long last, long lastEventId, Boolean truncated) {

  public AppendReply(long first, long last, long lastEventId) {
    this(first, last, lastEventId, null);
  }

  public boolean wasTruncated() {
    return Boolean.TRUE.equals(truncated);
  }
}
