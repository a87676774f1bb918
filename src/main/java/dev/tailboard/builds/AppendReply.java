package dev.tailboard.builds;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tailboard.config.Setting;

/**
 * The answer to a log append: the line numbers stored (from 1) and the build's last event id.
 * {@code truncated} is set when lines past a build's cap were refused, and {@code limit} names the
 * setting that refused them ({@code log.maxLinesPerBuild} or {@code log.maxBytesPerBuild}; replies
 * stored before it existed have none and mean the line cap). Both are kept with the chunk's {@code
 * seq}, so a retry gets the same 413.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppendReply(
    long first, long last, long lastEventId, Boolean truncated, String limit) {

  public AppendReply(long first, long last, long lastEventId) {
    this(first, last, lastEventId, null, null);
  }

  public boolean wasTruncated() {
    return Boolean.TRUE.equals(truncated);
  }

  /** The setting that cut this append short. */
  public String limitName() {
    return limit == null ? Setting.LOG_MAX_LINES_PER_BUILD.key() : limit;
  }
}
