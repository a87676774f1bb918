package dev.tailboard.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The JAX-RS application under {@code /api}; resources and providers are found by scanning. */
@ApplicationPath("/api")
public class TailboardApplication extends Application {

  @Override
  public Map<String, Object> getProperties() {
    // Any name but "JacksonFeature" keeps Jersey's Jackson feature out: JsonBodies does JSON.
    return Map.of("jersey.config.jsonFeature", "TailboardJson");
  }
}
