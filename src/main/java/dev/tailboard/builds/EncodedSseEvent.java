package dev.tailboard.builds;

import dev.tailboard.store.StoredEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A hub event already encoded as the bytes of one SSE event, so that a broadcast encodes it once,
 * not once per subscriber ({@link SseEncoder}): {@link EncodedSseEventWriter} writes these bytes as
 * they are, where Jersey's own writer would look up a writer for the data, encode the string
 * through a new {@code OutputStreamWriter} and scan every byte for line ends, for every subscriber.
 * The bytes are those Jersey writes for the same event ({@code event:}, {@code id:}, one {@code
 * data:} line per line of the data); the sink adds the blank line that ends the event.
 */
public final class EncodedSseEvent implements OutboundSseEvent {

  private final StoredEvent source;
  private final String epoch;
  private final byte[] frame;

  /** Where the data starts in {@link #frame} when it is one line, else -1. */
  private final int dataStart;

  private volatile byte[] dataLine;

  /**
   * {@code event} encoded, its id with the database's {@code epoch}; {@link SseEncoder} shares it
   * among a build's subscribers.
   */
  EncodedSseEvent(StoredEvent event, String epoch) {
    this.source = event;
    this.epoch = epoch;
    StringBuilder head = new StringBuilder(56);
    head.append("event: ").append(field(event.type())).append('\n');
    if (event.id() > 0) {
      head.append("id: ").append(LastEventId.position(epoch, event.id())).append('\n');
    }
    String data = event.data();
    if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
      for (String line : data.split("\r\n|\r|\n", -1)) {
        head.append("data: ").append(line).append('\n');
      }
      this.frame = head.append('\n').toString().getBytes(StandardCharsets.UTF_8);
      this.dataStart = -1;
    } else {
      // JSON is one line: one copy of its bytes, no scan for line ends
      byte[] start = head.append("data: ").toString().getBytes(StandardCharsets.UTF_8);
      byte[] body = data.getBytes(StandardCharsets.UTF_8);
      byte[] f = Arrays.copyOf(start, start.length + body.length + 2);
      System.arraycopy(body, 0, f, start.length, body.length);
      f[f.length - 2] = '\n';
      f[f.length - 1] = '\n';
      this.frame = f;
      this.dataStart = start.length;
    }
  }

  /** The event it was encoded from (the encoder's cache matches by identity). */
  StoredEvent source() {
    return source;
  }

  private static String field(String value) {
    return value.replace("\r", "").replace("\n", "");
  }

  /** The whole event, with the blank line that ends it: what goes to a client's output. */
  byte[] frame() {
    return frame;
  }

  /** Its bytes as a JAX-RS sink takes them: without the blank line, which the sink adds. */
  int sinkLength() {
    return frame.length - 1;
  }

  /** The data as UTF-8 when it is one line (JSON always is), for wrapping it; else null. */
  byte[] dataLine() {
    byte[] line = dataLine;
    if (line == null && dataStart >= 0) {
      // made once, for the shared connections that wrap it
      line = Arrays.copyOfRange(frame, dataStart, frame.length - 2);
      dataLine = line;
    }
    return line;
  }

  @Override
  public Class<?> getType() {
    return String.class;
  }

  @Override
  public Type getGenericType() {
    return String.class;
  }

  @Override
  public MediaType getMediaType() {
    return MediaType.TEXT_PLAIN_TYPE;
  }

  @Override
  public Object getData() {
    return source.data();
  }

  @Override
  public boolean isReconnectDelaySet() {
    return false;
  }

  @Override
  public long getReconnectDelay() {
    return -1;
  }

  @Override
  public String getId() {
    return source.id() > 0 ? LastEventId.position(epoch, source.id()) : null;
  }

  @Override
  public String getName() {
    return source.type();
  }

  @Override
  public String getComment() {
    return null;
  }
}
