package dev.tailboard.web;

import dev.tailboard.metrics.Metrics;
import dev.tailboard.store.BuildFilter;
import dev.tailboard.store.ClusterBus;
import dev.tailboard.store.EventStore;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Health for load balancers, metrics in Prometheus text format for operators. */
@Path("/")
@RequestScoped
public class HealthResource {

  /**
   * The health answer: {@code bus} is {@code ok} while this node hears the others (or is the only
   * one), {@code down} while its LISTEN connection is being re-established.
   */
  public record Health(String status, String store, String bus) {}

  @Inject EventStore store;
  @Inject ClusterBus bus;
  @Inject Metrics metrics;

  @GET
  @Path("health")
  @Produces(MediaType.APPLICATION_JSON)
  public Response health() {
    try {
      store.listBuilds(new BuildFilter(null, null, 1, null));
    } catch (RuntimeException e) {
      return Response.status(503).entity(new Health("down", e.getMessage(), null)).build();
    }
    if (!bus.connected()) {
      // its subscribers would miss other nodes' events: out of the load balancer's rotation
      return Response.status(503).entity(new Health("down", "ok", "down")).build();
    }
    return Response.ok(new Health("ok", "ok", "ok")).build();
  }

  @GET
  @Path("metrics")
  @Produces("text/plain; version=0.0.4; charset=utf-8")
  public String metrics() {
    return metrics.scrape();
  }
}
