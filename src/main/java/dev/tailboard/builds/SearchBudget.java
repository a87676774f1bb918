package dev.tailboard.builds;

/**
 * What one log search may spend before it answers with the matches so far and a {@code next}: at
 * most {@code search.maxScanLines} lines (the same cut every time, whatever the machine) and at
 * most {@code search.budgetMillis} (for slow storage, where even fewer lines take too long).
 */
final class SearchBudget {

  private final long maxLines;
  private final long deadline;
  private long scanned;

  SearchBudget(long maxLines, long millis) {
    this.maxLines = maxLines;
    this.deadline = System.nanoTime() + millis * 1_000_000;
  }

  /**
   * Takes one line from the budget; false when it is spent and the line is not to be scanned. The
   * first line is always taken, so a search that follows {@code next} moves on even when reading
   * its first page alone took the whole time.
   */
  boolean take() {
    if (scanned > 0 && (scanned >= maxLines || System.nanoTime() - deadline >= 0)) {
      return false;
    }
    scanned++;
    return true;
  }
}
