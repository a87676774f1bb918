package dev.tailboard.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The JAX-RS application under {@code /api}; resources and providers are found by scanning. */
@ApplicationPath("/api")
public class TailboardApplication extends Application {

  @Override
  public Map<String, Object> getProperties() {
    // Jersey's JSON modules are not in the WAR; should one come in with a container, any name
    // but its own keeps it from registering: JsonBodies does JSON.
    // No WADL (the README's API table is the description) and no DataSource body provider
    // (jakarta.activation is not in the WAR): said here, Jersey does not warn about either at
    // start on any container.
    return Map.of(
        "jersey.config.jsonFeature", "TailboardJson",
        "jersey.config.server.wadl.disableWadl", true,
        "jersey.config.disableDefaultProvider", "DATASOURCE");
  }
}
