package dev.tailboard.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * Hands Jersey's Jackson support the application's one mapper. Jersey creates providers itself, so
 * the mapper is looked up from CDI rather than injected.
 */
@Provider
public class JsonProvider implements ContextResolver<ObjectMapper> {

  private volatile ObjectMapper mapper;

  @Override
  public ObjectMapper getContext(Class<?> type) {
    ObjectMapper m = mapper;
    if (m == null) {
      m = CDI.current().select(Json.class).get().mapper();
      mapper = m;
    }
    return m;
  }
}
