package dev.tailboard.store;

/**
 * What a rewrite of a build's stored log changed: how many events, and the range of lines they hold
 * ({@code 0, 0} when none). {@code lastId} is the last event read, for paging; null at the end.
 */
public record Rewritten(int events, long firstLine, long lastLine, Long lastId) {

  public static final Rewritten NONE = new Rewritten(0, 0, 0, null);

  /** The sum of this and a later page; the page's {@code lastId}. */
  public Rewritten plus(Rewritten page) {
    if (page.events == 0) {
      return new Rewritten(events, firstLine, lastLine, page.lastId);
    }
    return new Rewritten(
        events + page.events,
        events == 0 ? page.firstLine : Math.min(firstLine, page.firstLine),
        Math.max(lastLine, page.lastLine),
        page.lastId);
  }
}
