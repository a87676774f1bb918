package dev.tailboard.builds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.tailboard.auth.Access;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.hub.EventHub;
import dev.tailboard.net.ClientOutputs;
import dev.tailboard.store.Build;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * The long-poll fallback for clients where EventSource fails: answers at once when events after
 * {@code after} exist, else holds the request (no thread held) up to {@code wait} seconds, or until
 * the caller's token expires if that comes first.
 */
@Path("/builds/{id}/poll")
@RequestScoped
public class LongPollResource {

  /** One event as the poll answer carries it; {@code data} is the event's JSON object. */
  public record PolledEvent(long id, String event, @JsonRawValue String data) {}

  /** The poll answer. {@code done}: the build is finished and these are its last events. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PollAnswer(
      List<PolledEvent> events, long last, boolean done, Boolean reset, String epoch) {}

  @Inject EventHub hub;
  @Inject EventStore store;
  @Inject BuildService builds;
  @Inject Access access;
  @Inject Config config;
  @Inject ClientOutputs outputs;
  @Context SecurityContext security;
  @Context HttpServletRequest request;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public void poll(
      @PathParam("id") long id,
      @QueryParam("after") String afterParam,
      @QueryParam("wait") Integer waitParam,
      @Suspended AsyncResponse response) {
    Build build = builds.find(id);
    access.requireRead(security, build.project());
    StreamGate.admit(outputs, request);
    int wait = waitParam == null ? 25 : waitParam;
    if (wait < 0 || wait > 30) {
      throw ProblemException.badRequest("wait must be between 0 and 30 seconds");
    }
    LastEventId from = parseAfter(afterParam, build.lastEventId());
    if (from.reset() || wait == 0) {
      response.resume(answer(id, from));
      return;
    }
    Runnable wake = () -> response.resume(answer(id, from));
    boolean waiting;
    try {
      waiting = hub.awaitEvents(id, from.afterId(), wake);
    } catch (NoSuchElementException e) {
      throw BuildService.notFound(id);
    }
    if (!waiting) {
      response.resume(answer(id, from));
      return;
    }
    response.setTimeout(waitMillis(wait), TimeUnit.MILLISECONDS);
    response.setTimeoutHandler(
        r -> {
          hub.cancelAwait(id, wake);
          r.resume(answer(id, from));
        });
  }

  /**
   * The wait, cut short by the caller's token expiring: a poll pending then is answered with what
   * it has, as when its wait runs out, and the next poll with that token gets 401.
   */
  private long waitMillis(int wait) {
    long millis = TimeUnit.SECONDS.toMillis(wait);
    Instant expiry = access.caller(security).expiresAt();
    if (expiry == null) {
      return millis;
    }
    // at least 1: a timeout of 0 means none at all
    return Math.max(1, Math.min(millis, Duration.between(Instant.now(), expiry).toMillis()));
  }

  private LastEventId parseAfter(String after, long newest) {
    if (after != null
        && !after.isBlank()
        && !after.trim().matches("([0-9a-z]{1,16}\\.)?\\d{1,18}")) {
      throw ProblemException.badRequest(
          "after must be an event id (a whole number ≥ 0), optionally as EPOCH.ID");
    }
    return LastEventId.parse(after, newest, store.epoch());
  }

  private PollAnswer answer(long id, LastEventId from) {
    Build build = builds.find(id);
    int max = config.integer(Setting.POLL_MAX_EVENTS);
    long maxBytes = config.integer(Setting.POLL_MAX_BYTES);
    List<StoredEvent> events =
        store.readEvents(id, from.afterId(), build.lastEventId(), max, maxBytes);
    long last = events.isEmpty() ? from.afterId() : events.get(events.size() - 1).id();
    boolean done = build.finished() && last >= build.lastEventId();
    return new PollAnswer(
        events.stream().map(e -> new PolledEvent(e.id(), e.type(), e.data())).toList(),
        last,
        done,
        from.reset() ? Boolean.TRUE : null,
        store.epoch());
  }
}
