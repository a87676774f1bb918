package dev.tailboard.builds;

import dev.tailboard.auth.Access;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.hub.EventHub;
import dev.tailboard.net.ClientOutputs;
import dev.tailboard.store.Build;
import dev.tailboard.support.Json;
import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.NoSuchElementException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A build's live event stream, {@code /api/builds/{id}/events}. The request thread only opens the
 * stream and subscribes; the hub hands every further event to the stream's non-blocking output. The
 * stream ends when the caller's token expires.
 */
@Path("/builds/{id}/events")
@RequestScoped
public class BuildStreamResource {

  @Inject EventHub hub;
  @Inject BuildService builds;
  @Inject Access access;
  @Inject Config config;
  @Inject SseEncoder encoder;
  @Inject Json json;
  @Inject ClientOutputs outputs;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void build(
      @PathParam("id") long id,
      @HeaderParam("Last-Event-ID") String header,
      @QueryParam("lastEventId") String query,
      @QueryParam("tail") Integer tail,
      @Context SseEventSink sink,
      @Context Sse sse) {
    Build build = builds.find(id);
    access.requireRead(security, build.project());
    StreamGate.admit(outputs, request);
    if (tail != null && tail < 1) {
      throw ProblemException.badRequest("tail must be ≥ 1 (lines)");
    }
    String resume = header != null ? header : query;
    if (resume == null && tail != null && build.lineCount() > tail) {
      openTail(id, build, tail, sink, sse);
      return;
    }
    LastEventId from = LastEventId.parse(resume, build.lastEventId(), encoder.epoch());
    if (!from.reset() && build.finished() && from.afterId() >= build.lastEventId()) {
      // 204 tells EventSource the stream is over: it stops reconnecting.
      throw new WebApplicationException(Response.noContent().build());
    }
    open(sink, sse, config);
    if (from.reset()) {
      sink.send(
          sse.newEventBuilder()
              .name("reset")
              .data("{\"reason\":\"unknown Last-Event-ID; replaying from the start\"}")
              .build());
    }
    subscribe(id, from.afterId(), sink, sse);
  }

  /**
   * A fresh stream that starts near the end: the build's summary, then the stored events from the
   * one holding the last {@code tail} lines on, then live ones. The page of a huge finished log
   * shows its end at once; reconnects carry a Last-Event-ID and resume as usual.
   */
  private void openTail(long id, Build build, int tail, SseEventSink sink, Sse sse) {
    open(sink, sse, config);
    sink.send(sse.newEventBuilder().name("build").data(json.write(build)).build());
    subscribe(id, builds.afterIdForTail(build, tail), sink, sse);
  }

  private void subscribe(long id, long afterId, SseEventSink sink, Sse sse) {
    try {
      hub.subscribe(id, afterId, new SseDelivery(sink, sse, encoder, ClientOutputs.output(request)))
          .endBy(access.caller(security).expiresAt());
    } catch (NoSuchElementException e) {
      sink.close(); // deleted meanwhile
    }
  }

  /**
   * Writes {@code retry} first: it flushes the response headers at once (Jersey sends them with the
   * first bytes), and the jitter spreads reconnects after a restart.
   */
  static void open(SseEventSink sink, Sse sse, Config config) {
    long retry = config.integer(Setting.SSE_RETRY_MILLIS);
    long jittered = Math.round(retry * (0.5 + ThreadLocalRandom.current().nextDouble()));
    sink.send(sse.newEventBuilder().reconnectDelay(jittered).data("").build());
  }
}
