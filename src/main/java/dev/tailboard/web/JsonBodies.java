package dev.tailboard.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailboard.support.Json;
import dev.tailboard.support.Problem;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads and writes JSON bodies with the application's one mapper. Jersey's Jackson module is not in
 * the WAR (see the pom): the container's class scan registered its providers beside this one, which
 * one wrote JSON then depended on class order, and one of them failed with an NPE.
 */
@Provider
@Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
@Consumes(MediaType.APPLICATION_JSON)
public class JsonBodies implements MessageBodyReader<Object>, MessageBodyWriter<Object> {

  private volatile ObjectMapper mapper;

  private ObjectMapper mapper() {
    ObjectMapper m = mapper;
    if (m == null) {
      // Jersey creates providers itself, so the mapper is looked up rather than injected.
      m = CDI.current().select(Json.class).get().mapper();
      mapper = m;
    }
    return m;
  }

  private static boolean json(Class<?> type, MediaType media) {
    return media != null
        && media.getSubtype().endsWith("json")
        && type != String.class
        && !InputStream.class.isAssignableFrom(type)
        && type != byte[].class;
  }

  @Override
  public boolean isReadable(Class<?> type, Type generic, Annotation[] a, MediaType media) {
    return json(type, media);
  }

  @Override
  public Object readFrom(
      Class<Object> type,
      Type generic,
      Annotation[] annotations,
      MediaType media,
      MultivaluedMap<String, String> headers,
      InputStream body)
      throws IOException {
    return mapper().readValue(body, mapper().constructType(generic == null ? type : generic));
  }

  @Override
  public boolean isWriteable(Class<?> type, Type generic, Annotation[] a, MediaType media) {
    return json(type, media);
  }

  @Override
  public void writeTo(
      Object value,
      Class<?> type,
      Type generic,
      Annotation[] annotations,
      MediaType media,
      MultivaluedMap<String, Object> headers,
      OutputStream body)
      throws IOException {
    // RESTEasy (WildFly, Open Liberty) passes no generic type for an error response's entity
    Type declared = generic == null ? type : generic;
    mapper().writerFor(mapper().constructType(declared)).writeValue(body, value);
  }
}
