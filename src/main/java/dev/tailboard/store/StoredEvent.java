package dev.tailboard.store;

/**
 * One durable event of a build's stream. {@code data} is the JSON payload, encoded once when the
 * event is made and sent as is to every subscriber. Log events carry their line range; other events
 * have {@code firstLine == lastLine == 0}.
 */
public record StoredEvent(
    long buildId, long id, String type, String data, long firstLine, long lastLine) {

  public boolean isLog() {
    return firstLine > 0;
  }

  /** A rough size in bytes, for bounding subscriber queues. */
  public int weight() {
    return 64 + data.length();
  }
}
