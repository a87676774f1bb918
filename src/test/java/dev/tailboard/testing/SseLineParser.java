package dev.tailboard.testing;

/**
 * Turns the lines of an event stream into events the way the EventSource spec does: fields,
 * comments, dispatch on a blank line. Feed it every line, in order.
 */
public final class SseLineParser {

  /** Receives each dispatched event ({@code event} is "message" when the stream named none). */
  @FunctionalInterface
  public interface Listener {
    void event(String id, String event, String data);
  }

  private final Listener listener;
  private final Runnable onComment;
  private String id;
  private String event;
  private StringBuilder data;

  public SseLineParser(Listener listener, Runnable onComment) {
    this.listener = listener;
    this.onComment = onComment;
  }

  public void line(String line) {
    if (line.isEmpty()) {
      if (data != null) {
        listener.event(id, event == null ? "message" : event, data.toString());
      }
      id = null;
      event = null;
      data = null;
    } else if (line.startsWith(":")) {
      onComment.run();
    } else {
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {}
      }
    }
  }
}
