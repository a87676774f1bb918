package dev.tailboard.builds;

import dev.tailboard.auth.Access;
import dev.tailboard.auth.Caller;
import dev.tailboard.config.Config;
import dev.tailboard.hub.EventHub;
import dev.tailboard.net.ClientOutputs;
import dev.tailboard.support.Json;
import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
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
 * summary whenever a build is created or its status or steps change, for the builds the caller may
 * read. Live only: a dashboard that reconnects reloads the list from {@code GET /api/builds}. Ends
 * when the caller's token expires.
 */
@Path("/events")
@RequestScoped
public class BuildFeedResource {

  @Inject EventHub hub;
  @Inject Access access;
  @Inject Config config;
  @Inject SseEncoder encoder;
  @Inject Json json;
  @Inject ClientOutputs outputs;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void all(@Context SseEventSink sink, @Context Sse sse) {
    Caller caller = access.caller(security);
    if (!caller.authenticated() && !access.mayRead(caller, "*")) {
      throw ProblemException.unauthorized("A token is required to follow builds");
    }
    StreamGate.admit(outputs, request);
    BuildStreamResource.open(sink, sse, config);
    SseDelivery delivery = new SseDelivery(sink, sse, encoder, ClientOutputs.output(request));
    hub.subscribeAll(new VisibleBuilds(delivery, caller, access, json)).endBy(caller.expiresAt());
  }
}
