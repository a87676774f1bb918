package dev.tailboard.builds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The lines of one log that are new against another: those whose {@link DiffRule normalised} text
 * occurs nowhere in the other log, in log order. The other log's first {@code maxLines} lines are
 * held as a set of their normalised texts; this log is read once, as a stream, its first {@code
 * maxLines} lines, and at most {@code maxResults} new lines are kept. Past any of the three the
 * answer says {@code truncated}.
 */
public final class LogDiff {

  /** A log read in line order: {@link LogScanner#scan} over one build, or a list in tests. */
  @FunctionalInterface
  public interface Lines {
    void scan(LogScanner.LineVisitor visitor) throws IOException;
  }

  /** One new line: its number in the stored log and the text a terminal shows of it. */
  public record NewLine(long line, String text) {}

  /** The new lines, and whether a bound cut the comparison short. */
  public record Result(List<NewLine> lines, boolean truncated) {}

  private final int maxLines;
  private final int maxResults;

  public LogDiff(int maxLines, int maxResults) {
    this.maxLines = maxLines;
    this.maxResults = maxResults;
  }

  /** The lines of {@code log} that are new against {@code other}. */
  public Result newLines(Lines log, Lines other) throws IOException {
    Set<String> seen = new HashSet<>();
    boolean[] truncated = {false};
    int[] read = {0, 0};
    other.scan(
        (n, text) -> {
          if (read[0]++ >= maxLines) {
            truncated[0] = true;
            return false;
          }
          seen.add(DiffRule.normalise(text));
          return true;
        });
    List<NewLine> found = new ArrayList<>();
    log.scan(
        (n, text) -> {
          if (read[1]++ >= maxLines) {
            truncated[0] = true;
            return false;
          }
          if (!seen.contains(DiffRule.normalise(text))) {
            if (found.size() >= maxResults) {
              truncated[0] = true;
              return false;
            }
            found.add(new NewLine(n, TerminalText.shown(text)));
          }
          return true;
        });
    return new Result(found, truncated[0]);
  }
}
