package dev.tailboard.builds;

import dev.tailboard.config.Setting;
import dev.tailboard.store.Build;
import dev.tailboard.support.ProblemException;
import java.util.List;

/**
 * The caps on one build's log, {@code log.maxLinesPerBuild} and {@code log.maxBytesPerBuild}: how
 * much of an append still fits. Bytes are the UTF-8 bytes of each line plus its line end, so the
 * raw download of a build is never larger than {@code maxBytes}.
 */
record LogCaps(long maxLines, long maxBytes) {

  /** The first {@code lines} of an append fit, {@code bytes} in all; {@code limit} cut the rest. */
  record Fit(int lines, long bytes, String limit) {

    boolean truncated() {
      return limit != null;
    }
  }

  /**
   * How many of {@code lines} (in order) fit into {@code build}'s log.
   *
   * @throws ProblemException 413 if lines were given and not even the first fits: nothing is kept
   */
  Fit fit(Build build, List<String> lines) {
    long lineRoom = maxLines - build.lineCount();
    long byteRoom = maxBytes - build.logBytes();
    int kept = 0;
    long bytes = 0;
    String limit = null;
    for (String line : lines) {
      long size = LogLines.utf8Length(line) + 1L;
      if (kept >= lineRoom) {
        limit = Setting.LOG_MAX_LINES_PER_BUILD.key();
      } else if (bytes + size > byteRoom) {
        limit = Setting.LOG_MAX_BYTES_PER_BUILD.key();
      } else {
        kept++;
        bytes += size;
        continue;
      }
      break;
    }
    if (kept == 0 && limit != null) {
      throw ProblemException.tooLarge(
          "Build " + build.id() + " reached " + limit + " (" + capOf(limit) + "): nothing stored");
    }
    return new Fit(kept, bytes, limit);
  }

  private String capOf(String limit) {
    return Setting.LOG_MAX_LINES_PER_BUILD.key().equals(limit)
        ? maxLines + " lines"
        : maxBytes + " bytes";
  }
}
