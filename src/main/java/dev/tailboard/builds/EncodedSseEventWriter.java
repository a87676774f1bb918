package dev.tailboard.builds;

import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Writes an {@link EncodedSseEvent} to an SSE stream in one write. Jersey picks it over its own
 * {@code OutboundEventWriter} because it is declared for the exact class of the event.
 */
@Provider
@Produces(MediaType.SERVER_SENT_EVENTS)
public class EncodedSseEventWriter implements MessageBodyWriter<EncodedSseEvent> {

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return type == EncodedSseEvent.class;
  }

  @Override
  public void writeTo(
      EncodedSseEvent event,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> httpHeaders,
      OutputStream entityStream)
      throws IOException {
    entityStream.write(event.frame(), 0, event.sinkLength());
  }
}
