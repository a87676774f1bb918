package dev.tailboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One dispatched server-sent event as a browser's EventSource would see it. */
public record SseEvent(String id, String event, String data) {

  /** The event id without the database's epoch ({@code EPOCH.ID}). */
  public long numericId() {
    return Long.parseLong(id.substring(id.indexOf('.') + 1));
  }

  public JsonNode json() {
    try {
      return Api.JSON.readTree(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
