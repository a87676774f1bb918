package dev.tailboard.builds;

/**
 * Where a resuming client wants to start: after {@code afterId}, or from the start with a {@code
 * reset} when what it sent is not a position of this database's history or lies beyond the build's
 * newest event. A position is written {@code EPOCH.ID} (the database's epoch, the event id); a bare
 * {@code ID} is taken as this epoch's.
 */
public record LastEventId(long afterId, boolean reset) {

  /** Parses the header (or query parameter) against the build's newest event id and the epoch. */
  public static LastEventId parse(String value, long newestId, String epoch) {
    if (value == null || value.isBlank()) {
      return new LastEventId(0, false);
    }
    String id = value.trim();
    int dot = id.indexOf('.');
    if (dot >= 0) {
      if (!id.substring(0, dot).equals(epoch)) {
        return new LastEventId(0, true); // another history: start again
      }
      id = id.substring(dot + 1);
    }
    return parse(id, newestId);
  }

  /** Parses a bare event id against the build's newest event id. */
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

  /** The position of event {@code id} as clients are given it. */
  public static String position(String epoch, long id) {
    return epoch + "." + id;
  }
}
