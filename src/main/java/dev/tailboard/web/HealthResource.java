package dev.tailboard.web;

import dev.tailboard.build.BuildFilter;
import dev.tailboard.hub.EventHub;
import dev.tailboard.hub.HubMetrics;
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

  /** The health answer. */
  public record Health(String status, String store) {}

  @Inject EventStore store;
  @Inject EventHub hub;
  @Inject dev.tailboard.room.RoomService rooms;

  @GET
  @Path("health")
  @Produces(MediaType.APPLICATION_JSON)
  public Response health() {
    try {
      store.listBuilds(new BuildFilter(null, null, 1, null));
      return Response.ok(new Health("ok", "ok")).build();
    } catch (RuntimeException e) {
      return Response.status(503).entity(new Health("down", e.getMessage())).build();
    }
  }

  @GET
  @Path("metrics")
  @Produces("text/plain; version=0.0.4; charset=utf-8")
  public String metrics() {
    HubMetrics m = hub.metrics();
    StringBuilder out = new StringBuilder();
    gauge(
        out,
        "tailboard_connections",
        "Open streaming connections",
        "transport=\"sse\"",
        hub.subscriberCount());
    out.append("tailboard_connections{transport=\"websocket\"} ")
        .append(rooms.connectionCount())
        .append('\n');
    counter(out, "tailboard_events_published_total", "Events published", m.published());
    counter(
        out, "tailboard_events_delivered_total", "Events written to subscribers", m.delivered());
    counter(
        out, "tailboard_replays_total", "Subscriptions that replayed from the store", m.replays());
    counter(
        out,
        "tailboard_replayed_events_total",
        "Events replayed from the store",
        m.replayedEvents());
    counter(out, "tailboard_merged_events_total", "Queued log events merged away", m.merges());
    counter(
        out,
        "tailboard_slow_consumer_disconnects_total",
        "Subscribers cut off for a full queue",
        m.slowDisconnects());
    counter(
        out,
        "tailboard_stalled_writes_total",
        "Subscribers cut off for a hung write",
        m.stalledWrites());
    gauge(
        out,
        "tailboard_writer_backlog",
        "Subscriptions waiting for a writer thread",
        "",
        hub.writerBacklog());
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(
      StringBuilder out, String name, String help, String labels, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{').append(labels).append('}');
    }
    out.append(' ').append(value).append('\n');
  }
}
