package dev.tailboard.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A build step that goes quiet, streamed the way a CI job streams one: {@code (echo …; sleep N;
 * echo …) | curl -T - URL}, a real curl in a shell. Started before the rest of the smoke suite and
 * checked after it, so the quiet minute overlaps the other tests instead of adding to them.
 */
final class QuietUpload {

  static final List<String> LINES = List.of("before the quiet step", "after the quiet step", "end");

  private final Api api;
  private final long build;
  private final Duration quiet;
  private final Process curl;
  private final Path output;

  private QuietUpload(Api api, long build, Duration quiet, Process curl, Path output) {
    this.api = api;
    this.build = build;
    this.quiet = quiet;
    this.curl = curl;
    this.output = output;
  }

  static QuietUpload start(Api api, Duration quiet) throws IOException {
    long build = api.createBuild();
    Path output = Files.createTempFile("tailboard-quiet-upload-", ".out");
    String url = ItServer.baseUrl() + "/api/builds/" + build + "/log";
    String script =
        "(echo '%s'; sleep %d; echo '%s'; echo '%s') | curl -sS -T - -H \"Authorization: Bearer $TAILBOARD_TOKEN\" -H 'Content-Type: text/plain' -w '\\nHTTP %%{http_code}\\n' '%s'"
            .formatted(LINES.get(0), quiet.toSeconds(), LINES.get(1), LINES.get(2), url);
    ProcessBuilder pb =
        new ProcessBuilder("sh", "-c", script)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    pb.environment().put("TAILBOARD_TOKEN", ItServer.publisher());
    QuietUpload upload = new QuietUpload(api, build, quiet, pb.start(), output);
    // streamed, not held back until the body ends
    await().atMost(ContainerSmoke.WAIT).until(() -> upload.stored().size() == 1);
    return upload;
  }

  /** Waits for curl's answer, then checks that every line was stored, once. */
  void check() throws IOException {
    try {
      await("curl's answer after the quiet step")
          .atMost(quiet.plus(ContainerSmoke.WAIT))
          .until(() -> !curl.isAlive());
    } finally {
      curl.destroy();
    }
    String answer = Files.readString(output);
    Files.deleteIfExists(output);
    assertThat(answer).as("curl's output").contains("HTTP 200").contains("\"last\":");
    assertThat(stored()).isEqualTo(LINES);
  }

  private List<String> stored() {
    return ContainerSmoke.log(api, build);
  }
}
