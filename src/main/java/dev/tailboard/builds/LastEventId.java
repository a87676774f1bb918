package dev.tailboard.builds;

/**
 * Where a resuming client wants to start: after {@code afterId}, or from the start with a {@code
 * reset} when what it sent is not a number or lies beyond the build's newest event.
 */
public record LastEventId(long afterId, boolean reset) {

  /** Parses the header (or query parameter) against the build's newest event id. */
  public static LastEventId parse(String value, long newestId) {
    if (value == null || value.isBlank()) {
      return new LastEventId(0, false);
    }
    long id;
    try {
      id = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return new LastEventId(0, true);
    }
    if (id < 0 || id > newestId) {
      return new LastEventId(0, true);
    }
    return new LastEventId(id, false);
  }
}
