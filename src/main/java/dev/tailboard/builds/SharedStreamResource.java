package dev.tailboard.builds;

import dev.tailboard.auth.Access;
import dev.tailboard.auth.Caller;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Several build streams and the dashboard feed on one SSE connection, {@code /api/streams}, for the
 * tabs of one browser (HTTP/1.1 allows six connections per host: ten tabs with a stream each would
 * starve). {@code ?s=KEY.BUILD[:AFTER|~TAIL]} per build stream, {@code ?feed=KEY} for the feed; see
 * {@link StreamRequest} and {@link SharedConnection}. Each stream behaves as its own {@code
 * /api/builds/{id}/events} would.
 */
@Path("/streams")
@RequestScoped
public class SharedStreamResource {

  @Inject EventHub hub;
  @Inject BuildService builds;
  @Inject Access access;
  @Inject Config config;
  @Inject Json json;
  @Inject SseEncoder encoder;
  @Inject ClientOutputs outputs;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void streams(
      @QueryParam("s") List<String> streams,
      @QueryParam("feed") String feed,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context SseEventSink sink,
      @Context Sse sse)
      throws IOException {
    Map<String, StreamRequest> requests = StreamRequest.parse(streams, lastEventId);
    int max = config.integer(Setting.SSE_MAX_SHARED_STREAMS);
    if (requests.size() > max || (requests.isEmpty() && feed == null)) {
      throw ProblemException.badRequest(
          "give 1 to " + max + " streams (sse.maxSharedStreams) as ?s=KEY.BUILD, or ?feed=KEY");
    }
    if (feed != null && (!feed.matches("[a-z0-9]{1,8}") || requests.containsKey(feed))) {
      throw ProblemException.badRequest("feed=KEY: a key [a-z0-9]{1,8} no stream uses");
    }
    StreamGate.admit(outputs, request);
    Caller caller = access.caller(security);
    if (feed != null && !caller.authenticated() && !access.mayRead(caller, "*")) {
      throw ProblemException.unauthorized("A token is required to follow builds");
    }
    List<Start> starts = new ArrayList<>();
    for (StreamRequest r : requests.values()) {
      Build build = builds.find(r.build());
      access.requireRead(security, build.project());
      starts.add(start(r, build));
    }
    if (feed == null && starts.stream().allMatch(Start::over)) {
      // every stream is over: 204 tells EventSource not to reconnect
      throw new WebApplicationException(Response.noContent().build());
    }
    BuildStreamResource.open(sink, sse, config);
    SharedConnection connection =
        new SharedConnection(
            sink,
            sse,
            json,
            encoder,
            ClientOutputs.output(request),
            config.integer(Setting.SSE_HEARTBEAT_SECONDS) * 1000L,
            (int) starts.stream().filter(s -> !s.over()).count() + (feed == null ? 0 : 1));
    // every stream of the connection ends when the token expires, which ends the connection
    Instant expiry = caller.expiresAt();
    for (Start s : starts) {
      if (!s.over()) {
        subscribe(connection, s, expiry);
      }
    }
    if (feed != null) {
      hub.subscribeAll(new VisibleBuilds(connection.feed(feed), caller, access, json))
          .endBy(expiry);
    }
  }

  /** Where one stream starts, decided before anything is written. */
  private record Start(
      StreamRequest request, Build build, long afterId, boolean reset, boolean over) {}

  private Start start(StreamRequest r, Build build) {
    if (r.after() == null && r.tail() != null && build.lineCount() > r.tail()) {
      return new Start(r, build, builds.afterIdForTail(build, r.tail()), false, false);
    }
    LastEventId from = LastEventId.parse(r.resumeFrom(), build.lastEventId(), encoder.epoch());
    boolean over = !from.reset() && build.finished() && from.afterId() >= build.lastEventId();
    return new Start(r, build, from.afterId(), from.reset(), over);
  }

  private void subscribe(SharedConnection connection, Start s, Instant expiry) throws IOException {
    StreamRequest r = s.request();
    SharedConnection.Part part = connection.build(r, s.afterId());
    if (s.reset()) {
      connection.sendDirect(r.key(), r.build(), "reset", "{\"reason\":\"unknown position\"}");
    } else if (r.after() == null && r.tail() != null && s.afterId() > 0) {
      connection.sendDirect(r.key(), r.build(), "build", json.write(s.build()));
    }
    try {
      hub.subscribe(r.build(), s.afterId(), part).endBy(expiry);
    } catch (NoSuchElementException e) {
      part.close(); // deleted meanwhile
    }
  }
}
