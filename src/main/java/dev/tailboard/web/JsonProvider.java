package dev.tailboard.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/** Hands Jersey's Jackson support the application's one mapper. */
@Provider
@ApplicationScoped
public class JsonProvider implements ContextResolver<ObjectMapper> {

  @Inject Json json;

  @Override
  public ObjectMapper getContext(Class<?> type) {
    return json.mapper();
  }
}
