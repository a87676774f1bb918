package dev.tailboard.build;

import dev.tailboard.auth.Access;
import dev.tailboard.config.Config;
import dev.tailboard.hub.EventHub;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Every build's lifecycle for dashboards, {@code /api/events}: an {@code event: build} with the
 * summary whenever a build is created or its status or steps change. Live only: a dashboard that
 * reconnects reloads the list from {@code GET /api/builds}.
 */
@Path("/events")
@RequestScoped
public class BuildFeedResource {

  @Inject EventHub hub;
  @Inject Access access;
  @Inject Config config;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void all(@Context SseEventSink sink, @Context Sse sse) {
    access.requireRead(security, "*");
    BuildStreamResource.open(sink, sse, config);
    hub.subscribeAll(new SseDelivery(sink, sse));
  }
}
