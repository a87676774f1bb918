package dev.tailboard.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ChunkedUpload;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.WarServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Streamed log ingest as real CI jobs use it (docs/ingest.md): a {@code cmd | curl -T -} upload
 * that goes quiet for longer than the container's idle timeout, one that breaks off, and the {@code
 * bin/tailboard-publish} script across a {@code kill -9} of the server.
 */
class StreamedIngestIT {

  /** The idle timeout of the forked IT Jetty's connector: Jetty's default. */
  private static final Duration CONTAINER_IDLE_TIMEOUT = Duration.ofSeconds(30);

  private final Api api = Api.publisher();

  @Test
  void aQuietStepLongerThanTheContainersIdleTimeoutDoesNotEndTheUpload() throws Exception {
    long id = api.createBuild();
    Duration quiet = CONTAINER_IDLE_TIMEOUT.plusSeconds(5);
    try (ChunkedUpload upload =
        new ChunkedUpload("/api/builds/" + id + "/log", ItServer.publisher())) {
      upload.write("before the quiet step\n");
      await().atMost(Duration.ofSeconds(5)).until(() -> lineCount(id) == 1);

      // nothing is sent for longer than the idle timeout; the upload must still be open after it
      await().pollDelay(quiet).atMost(quiet.plusSeconds(5)).until(() -> lineCount(id) == 1);

      upload.write("after the quiet step\n");
      upload.write("end\n");
      String response = upload.finish();
      assertThat(response).startsWith("HTTP/1.1 200");
      JsonNode reply = Api.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertThat(reply.get("first").asLong()).isEqualTo(1);
      assertThat(reply.get("last").asLong()).isEqualTo(3);
    }
    assertThat(log(api, id))
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
    await().atMost(Duration.ofSeconds(10)).until(() -> lineCount(id) == 2);
    assertThat(log(api, id)).containsExactly("one", "two");
    // the build goes on: the next upload continues the numbering
    assertThat(api.postText("/api/builds/" + id + "/log", "again\n").statusCode()).isEqualTo(200);
    assertThat(log(api, id)).containsExactly("one", "two", "again");
  }

  @Test
  void thePublisherScriptLosesAndDoublesNothingAcrossAKillDashNine() throws Exception {
    int lines = 150;
    try (WarServer server = WarServer.start()) {
      Api own = new Api(server.baseUrl(), ItServer.publisher());
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
        assertThat(publisher.isAlive())
            .as("the publisher runs on while the server is down")
            .isTrue();
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
  }

  private long lineCount(long id) {
    return lineCount(api, id);
  }

  private static long lineCount(Api api, long id) {
    return api.build(id).get("lineCount").asLong();
  }

  private static List<String> log(Api api, long id) {
    return api.get("/api/builds/" + id + "/log").body().lines().toList();
  }
}
