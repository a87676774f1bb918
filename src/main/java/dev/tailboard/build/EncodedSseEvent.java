package dev.tailboard.build;

import dev.tailboard.store.StoredEvent;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

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
  private final byte[] frame;
  private final byte[] data;

  /** {@code event} encoded; {@link SseEncoder} shares it among a build's subscribers. */
  EncodedSseEvent(StoredEvent event) {
    this.source = event;
    this.frame = encode(event);
    String d = event.data();
    this.data =
        d.indexOf('\n') < 0 && d.indexOf('\r') < 0 ? d.getBytes(StandardCharsets.UTF_8) : null;
  }

  /** The event it was encoded from (the encoder's cache matches by identity). */
  StoredEvent source() {
    return source;
  }

  private static byte[] encode(StoredEvent event) {
    StringBuilder b = new StringBuilder(event.data().length() + 48);
    b.append("event: ").append(field(event.type())).append('\n');
    if (event.id() > 0) {
      b.append("id: ").append(event.id()).append('\n');
    }
    for (String line : event.data().split("\r\n|\r|\n", -1)) {
      b.append("data: ").append(line).append('\n');
    }
    return b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
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
    return data;
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
    return source.id() > 0 ? Long.toString(source.id()) : null;
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
