package dev.tailboard.matrix;

import static dev.tailboard.testing.Api.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.RawHttp;
import dev.tailboard.testing.RawHttp.Answer;
import dev.tailboard.testing.SseStream;
import dev.tailboard.testing.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The smoke suite of the container matrix ({@code .ci/matrix/run.sh}): what a user relies on,
 * against the WAR deployed in a real container at {@code tailboard.it.baseUrl}. Not an {@code *IT}:
 * {@code mvn verify} does not run it; the matrix runs it once per container, then restarts the
 * container on the same data directory and runs {@link ContainerRestartSmoke}, which reads the
 * state this suite leaves in {@code tailboard.matrix.state}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerSmoke {

  static final Duration WAIT = Duration.ofSeconds(30);

  /** Longer than every matrix container's default read or idle timeout (docs/ingest.md). */
  static final Duration QUIET =
      Duration.ofSeconds(Long.getLong("tailboard.matrix.quietSeconds", 60));

  private static QuietUpload quietUpload;
  private static Throwable quietStartFailure;
  private final Api api = Api.publisher();

  @BeforeAll
  static void startTheQuietUploadFirst() {
    if (QUIET.isZero()) {
      return; // a container with a known failure here (containers.sh)
    }
    try {
      quietUpload = QuietUpload.start(Api.publisher(), QUIET);
    } catch (Exception | AssertionError e) {
      // reported by its own test below, not as a failure of every test of the suite
      quietStartFailure = e;
    }
  }

  /** Checked last, after the other tests ran during the quiet step. */
  @Test
  @Order(Integer.MAX_VALUE)
  void aStreamedUploadSurvivesAQuietStepAndStoresEveryLine() throws Exception {
    Assumptions.assumeFalse(QUIET.isZero(), "quiet upload skipped for this container");
    if (quietStartFailure != null) {
      throw new AssertionError("the quiet upload did not start", quietStartFailure);
    }
    quietUpload.check();
  }

  private static String events(long build) {
    return "/api/builds/" + build + "/events";
  }

  static WsClient join(String room, String name) {
    WsClient c = WsClient.connectAs(room, name);
    c.send(Map.of("type", "hello", "name", name));
    await().atMost(WAIT).until(() -> !c.of("welcome").isEmpty());
    return c;
  }

  @Test
  void buildStreamFlushesHeadersAtOnceThenGoesLiveAndResumesByLastEventId() {
    long build = api.createBuild();
    String afterFirst = api.append(build, lines("s", 1, 2)).get("lastEventId").asText();
    String lastId;
    // Resuming at the newest event: nothing to replay, so the headers must come on their own
    // (SseStream.open returns when they arrive, and times out after 10 s otherwise).
    CompletableFuture<SseStream> opening =
        CompletableFuture.supplyAsync(
            () -> SseStream.open(events(build), Map.of("Last-Event-ID", afterFirst)));
    try (SseStream live = opening.orTimeout(15, TimeUnit.SECONDS).join()) {
      assertThat(live.status()).isEqualTo(200);
      assertThat(live.response().headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
      assertThat(live.response().headers().firstValue("Cache-Control")).hasValue("no-cache");
      assertThat(live.response().headers().firstValue("X-Accel-Buffering")).hasValue("no");
      // RESTEasy (WildFly, Open Liberty) writes blank lines first, which EventSource ignores
      await().atMost(WAIT).until(() -> live.rawLines.stream().anyMatch(l -> !l.isEmpty()));
      assertThat(live.rawLines.stream().filter(l -> !l.isEmpty()).findFirst())
          .hasValueSatisfying(first -> assertThat(first).startsWith("retry: "));
      // nothing replayed; RESTEasy writes the opening retry with an empty data line, which
      // EventSource dispatches as an unnamed empty message (the UI listens to named events only)
      assertThat(live.events).allSatisfy(e -> assertThat(e.id()).isNull());

      api.append(build, lines("s", 3, 3));
      await().atMost(WAIT).until(() -> live.logLines().size() == 3);
      assertThat(live.logLines()).isEqualTo(lines("s", 3, 3));
      lastId = live.lastId();
    }
    api.append(build, lines("s", 6, 4));
    // Like EventSource, the resume tries again when a connection fails before the response
    // (GlassFish 7 once closed one: "EOF reached while reading").
    try (SseStream resumed =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(
                () -> SseStream.open(events(build), Map.of("Last-Event-ID", lastId)),
                Objects::nonNull)) {
      await().atMost(WAIT).until(() -> resumed.logLines().size() == 4);
      assertThat(resumed.of("reset")).isEmpty();
      assertThat(resumed.of("build")).isEmpty();
      assertThat(resumed.logLines()).isEqualTo(lines("s", 6, 4));
    }
  }

  /**
   * How this container answers a request body its HTTP layer cannot read ({@code
   * NAME_broken_chunk_answer} in containers.sh): {@code problem}, it hands the error to the
   * application, which answers problem+json; {@code empty}, it answers 400 itself with an empty
   * body; {@code closed}, it closes the connection without an answer (README, Deploy, container
   * errors).
   */
  static final String BROKEN_CHUNK = System.getProperty("tailboard.matrix.brokenChunk", "problem");

  /**
   * An error the container raises on the API (its HTTP layer cannot read the body) is answered as
   * problem+json where the container lets the application answer, and never with a stack trace.
   */
  @Test
  void aBodyTheContainerCannotReadOnTheApiIsAProblemOrItsDocumentedAnswer() {
    Answer a = RawHttp.postMalformedChunk("/api/builds");
    switch (BROKEN_CHUNK) {
      case "problem" -> a.assertProblem(400);
      case "empty" -> {
        assertThat(a.status()).as("%s", a).isEqualTo(400);
        assertThat(a.body()).as("%s", a).isEmpty();
      }
      case "closed" -> assertThat(a.status()).as("no answer at all: %s", a).isZero();
      default -> throw new IllegalArgumentException("tailboard.matrix.brokenChunk=" + BROKEN_CHUNK);
    }
  }

  @Test
  void roomMembersChat() {
    String room = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
    try (WsClient ana = join(room, "ana");
        WsClient bo = join(room, "bo")) {
      ana.send(Map.of("type", "chat", "id", "m1", "text", "hello from ana"));
      await().atMost(WAIT).until(() -> ana.has("ack", a -> "m1".equals(a.path("id").asText())));
      await().atMost(WAIT).until(() -> !bo.of("chat").isEmpty());
      JsonNode got = bo.of("chat").get(0);
      assertThat(got.get("text").asText()).isEqualTo("hello from ana");
      assertThat(got.get("from").get("name").asText()).isEqualTo("ana");
    }
  }

  @Test
  void oneStatusChangeReachesTheStreamAndTheRoomThroughOneHub() {
    long build = api.createBuild();
    api.append(build, lines("h", 1, 1));
    try (SseStream stream = SseStream.open(events(build));
        WsClient member = join("build-" + build, "watcher")) {
      await().atMost(WAIT).until(() -> stream.logLines().size() == 1);
      api.status(build, "passed");
      await().atMost(WAIT).until(() -> stream.has("status", "passed"));
      await().atMost(WAIT).until(() -> member.hasBuildStatus("passed"));
    }
  }

  /** Leaves a build's log and a room's chat for {@link ContainerRestartSmoke} to find. */
  @Test
  void leavesStateForTheRestart() throws IOException {
    String state = System.getProperty("tailboard.matrix.state");
    long build = api.createBuild();
    api.append(build, lines("kept", 1, 5));
    api.status(build, "passed");
    String room = "kept-" + UUID.randomUUID().toString().substring(0, 8);
    try (WsClient ana = join(room, "ana")) {
      ana.send(Map.of("type", "chat", "id", "k1", "text", "still here after a restart?"));
      await().atMost(WAIT).until(() -> ana.has("ack", a -> "k1".equals(a.path("id").asText())));
    }
    if (state != null) {
      Files.writeString(Path.of(state), Api.write(Map.of("build", build, "room", room)));
    }
  }

  static List<String> log(Api api, long build) {
    return api.get("/api/builds/" + build + "/log").body().lines().toList();
  }
}
