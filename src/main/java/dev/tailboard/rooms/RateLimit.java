package dev.tailboard.rooms;

/**
 * A token bucket: {@code perSecond} messages a second with a burst of as many. Over the limit a
 * message is refused; a client that keeps going past twice the limit is abusive.
 */
final class RateLimit {

  private final int perSecond;
  private double tokens;
  private long last = System.nanoTime();
  private int refusedInARow;

  RateLimit(int perSecond) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
  }

  enum Verdict {
    OK,
    REFUSE,
    ABUSE
  }

  synchronized Verdict take() {
    long now = System.nanoTime();
    tokens = Math.min(perSecond, tokens + (now - last) / 1e9 * perSecond);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      refusedInARow = 0;
      return Verdict.OK;
    }
    refusedInARow++;
    return refusedInARow > perSecond ? Verdict.ABUSE : Verdict.REFUSE;
  }
}
