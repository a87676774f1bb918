package dev.tailboard.build;

import dev.tailboard.auth.Access;
import dev.tailboard.auth.Caller;
import dev.tailboard.config.Config;
import dev.tailboard.hub.Delivery;
import dev.tailboard.hub.EventHub;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.web.Json;
import dev.tailboard.web.ProblemException;
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
import java.io.IOException;

/**
 * Every build's lifecycle for dashboards, {@code /api/events}: an {@code event: build} with the
 * summary whenever a build is created or its status or steps change, for the builds the caller may
 * read. Live only: a dashboard that reconnects reloads the list from {@code GET /api/builds}.
 */
@Path("/events")
@RequestScoped
public class BuildFeedResource {

  @Inject EventHub hub;
  @Inject Access access;
  @Inject Config config;
  @Inject SseEncoder encoder;
  @Inject Json json;
  @Context SecurityContext security;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void all(@Context SseEventSink sink, @Context Sse sse) {
    Caller caller = access.caller(security);
    if (!caller.authenticated() && !access.mayRead(caller, "*")) {
      throw ProblemException.unauthorized("A token is required to follow builds");
    }
    BuildStreamResource.open(sink, sse, config);
    hub.subscribeAll(new Readable(new SseDelivery(sink, sse, encoder), caller, access, json));
  }

  /** Passes on only the builds this caller may read. */
  static final class Readable implements Delivery {
    private final Delivery delivery;
    private final Caller caller;
    private final Access access;
    private final Json json;

    Readable(Delivery delivery, Caller caller, Access access, Json json) {
      this.delivery = delivery;
      this.caller = caller;
      this.access = access;
      this.json = json;
    }

    @Override
    public void send(StoredEvent event) throws IOException {
      // parse the summary only when the answer depends on its project
      if (access.mayRead(caller, "**")
          || access.mayRead(caller, json.read(event.data(), Build.class).project())) {
        delivery.send(event);
      }
    }

    @Override
    public void heartbeat() throws IOException {
      delivery.heartbeat();
    }

    @Override
    public void close() {
      delivery.close();
    }
  }
}
