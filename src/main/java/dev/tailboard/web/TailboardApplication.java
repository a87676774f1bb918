package dev.tailboard.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JAX-RS application under {@code /api}; resources and providers are found by scanning. */
@ApplicationPath("/api")
public class TailboardApplication extends Application {}
