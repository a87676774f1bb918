package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.ChunkedUpload;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.WarServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed log ingest as real CI jobs use it (docs/ingest.md): a {@code cmd | curl -T -} upload
 * that goes quiet for longer than the container's idle timeout, one that breaks off, and the {@code
 * bin/tailboard-publish} script across a {@code kill -9} of the server.
 */
class StreamedIngestIT {

  /**
   * The idle timeout of the Jetty {@link WarServer} runs the WAR in: Jetty's default. (The forked
   * IT Jetty of the pom has none: the jetty-maven-plugin leaves its connector's idle timeout at 0.)
   */
  private static final Duration CONTAINER_IDLE_TIMEOUT = Duration.ofSeconds(30);

  // one server of the class's own: its idle timeout is Jetty's, and the publisher test kills it
  private static WarServer server;
  private static Api own;
  private final Api api = Api.publisher();

  @BeforeAll
  static void start() throws Exception {
    server = WarServer.start();
    own = new Api(server.baseUrl(), ItServer.publisher());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aQuietStepLongerThanTheContainersIdleTimeoutDoesNotEndTheUpload() throws Exception {
    long id = own.createBuild("stream/quiet");
    long quiet = CONTAINER_IDLE_TIMEOUT.plusSeconds(5).toSeconds();
    Path output = Path.of("target", "quiet-upload-" + id + ".out");
    // the way a CI job streams a step that goes quiet, with a real curl
    String job =
        "(echo 'before the quiet step'; sleep %d; echo 'after the quiet step'; echo end) | curl -sS -T - -H \"Authorization: Bearer $TAILBOARD_TOKEN\" -H 'Content-Type: text/plain' -w '\\nHTTP %%{http_code}\\n' '%s/api/builds/%d/log'"
            .formatted(quiet, server.baseUrl(), id);
    ProcessBuilder pb =
        new ProcessBuilder("sh", "-c", job)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    pb.environment().put("TAILBOARD_TOKEN", ItServer.publisher());
    Process curl = pb.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> lineCount(own, id) == 1);
      await("curl's answer after the quiet step")
          .atMost(Duration.ofSeconds(quiet + 20))
          .until(() -> !curl.isAlive());
    } finally {
      curl.destroy();
    }
    String answer = Files.readString(output);
    assertThat(answer).contains("HTTP 200").contains("\"first\":1").contains("\"last\":3");
    assertThat(log(own, id))
        .containsExactly("before the quiet step", "after the quiet step", "end");
  }

  @Test
  void anUploadThatBreaksOffKeepsEveryCompleteLine() throws Exception {
    long id = api.createBuild();
    try (ChunkedUpload upload =
        new ChunkedUpload("/api/builds/" + id + "/log", ItServer.publisher())) {
      upload.write("one\ntwo\n");
      upload.write("three, cut off mid-li");
    } // the client is gone: no last chunk
    await().atMost(Duration.ofSeconds(10)).until(() -> lineCount(api, id) == 2);
    assertThat(log(api, id)).containsExactly("one", "two");
    // the build goes on: the next upload continues the numbering
    assertThat(api.postText("/api/builds/" + id + "/log", "again\n").statusCode()).isEqualTo(200);
    assertThat(log(api, id)).containsExactly("one", "two", "again");
  }

  @Test
  void thePublisherScriptLosesAndDoublesNothingAcrossAKillDashNine() throws Exception {
    int lines = 150;
    long id = own.createBuild("publish/restart");
    Path output = Path.of("target", "tailboard-publish-" + id + ".log");
    // a build step that prints numbered lines slowly and fails with exit code 3
    String step =
        "i=1; while [ $i -le "
            + lines
            + " ]; do echo \"line-$i\"; i=$((i+1)); sleep 0.05; done; exit 3";
    ProcessBuilder publish =
        new ProcessBuilder(
                "sh",
                "bin/tailboard-publish",
                "--url",
                server.baseUrl(),
                "--build",
                Long.toString(id),
                "--quiet",
                "--",
                "sh",
                "-c",
                step)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    publish.environment().put("TAILBOARD_TOKEN", ItServer.publisher());
    Process publisher = publish.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> lineCount(own, id) >= 30);
      server.kill(); // mid-build: a batch may be stored but not answered, or not stored
      assertThat(publisher.isAlive()).as("the publisher runs on while the server is down").isTrue();
      server.startAgain();

      await("the publisher to finish (its output: " + output + ")")
          .atMost(Duration.ofSeconds(90))
          .until(() -> !publisher.isAlive());
    } finally {
      publisher.destroy();
    }
    assertThat(publisher.exitValue()).as(Files.readString(output)).isEqualTo(3);
    assertThat(log(own, id)).isEqualTo(Api.lines("line", 1, lines));
  }

  private static long lineCount(Api api, long id) {
    return api.build(id).get("lineCount").asLong();
  }

  private static List<String> log(Api api, long id) {
    return api.get("/api/builds/" + id + "/log").body().lines().toList();
  }
}
