package dev.tailboard.builds;

import static dev.tailboard.builds.BuildApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.SseStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A token that expires while its stream is open ends that stream at expiry, on every streaming
 * route, and the client's reconnect with it is refused with 401; streams without a token are left
 * alone. Tokens are minted as a client gets them, with {@code POST /api/tokens}.
 */
class TokenExpiryIT {

  /**
   * Expiries are whole seconds, so a token lives ttl - 1 to ttl seconds: 3 leaves the stream at
   * least 2 s to open on a loaded machine.
   */
  private static final long TTL_SECONDS = 3;

  /** The hub's ticker checks once a second. */
  private static final Duration MARGIN = Duration.ofSeconds(4);

  private final Api publisher = Api.publisher();

  private record Minted(String token, Instant expiresAt) {
    Map<String, String> bearer() {
      return Map.of("Authorization", "Bearer " + token);
    }

    Duration untilEnd() {
      return Duration.between(Instant.now(), expiresAt).plus(MARGIN);
    }
  }

  private static Minted mint() {
    Api admin = new Api(ItServer.token("admin"));
    HttpResponse<String> r =
        admin.postJson(
            "/api/tokens", Map.of("sub", "viewer", "scope", "read:**", "ttlSeconds", TTL_SECONDS));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode body = Api.json(r);
    return new Minted(body.get("token").asText(), Instant.parse(body.get("expiresAt").asText()));
  }

  @Test
  void aBuildStreamEndsWhenItsTokenExpiresAndAStreamWithoutTokenGoesOn() {
    long build = publisher.createBuild();
    String path = "/api/builds/" + build + "/events";
    try (SseStream anonymous = SseStream.open(path)) {
      assertEndsAtExpiryAndReconnectIs401(path);
      publisher.append(build, List.of("after the expiry"));
      await().atMost(MARGIN).until(() -> anonymous.logLines().contains("after the expiry"));
      assertThat(anonymous.ended).isFalse();
    }
  }

  @Test
  void theDashboardFeedEndsWhenItsTokenExpires() {
    assertEndsAtExpiryAndReconnectIs401("/api/events");
  }

  @Test
  void aSharedConnectionEndsWhenItsTokenExpires() {
    long build = publisher.createBuild();
    assertEndsAtExpiryAndReconnectIs401("/api/streams?s=a." + build + "&feed=f");
  }

  @Test
  void aPendingLongPollIsAnsweredAtExpiryWithNothingNewAndTheNextPollIs401() {
    long build = publisher.createBuild();
    long last = publisher.build(build).get("lastEventId").asLong();
    String path = "/api/builds/" + build + "/poll?after=" + last + "&wait=30";
    Minted t = mint();
    Api viewer = new Api(t.token());
    CompletableFuture<HttpResponse<String>> pending =
        CompletableFuture.supplyAsync(() -> viewer.get(path));

    HttpResponse<String> answer =
        pending.orTimeout(t.untilEnd().toMillis(), TimeUnit.MILLISECONDS).join();

    assertThat(Instant.now()).isAfterOrEqualTo(t.expiresAt());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode body = Api.json(answer);
    assertThat(body.get("events")).isEmpty();
    assertThat(body.get("last").asLong()).isEqualTo(last);
    assertProblem(viewer.get(path), 401);
  }

  private void assertEndsAtExpiryAndReconnectIs401(String path) {
    Minted t = mint();
    try (SseStream stream = SseStream.open(path, t.bearer())) {
      assertThat(stream.status()).isEqualTo(200);
      await().atMost(t.untilEnd()).until(() -> stream.ended.get());
      assertThat(Instant.now()).as("ended at expiry, not before").isAfterOrEqualTo(t.expiresAt());
    }
    Api viewer = new Api(t.token());
    assertProblem(
        viewer.send(viewer.request(path).header("Accept", "text/event-stream").build()), 401);
  }
}
