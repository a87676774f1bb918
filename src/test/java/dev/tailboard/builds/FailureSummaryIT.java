package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.SseEvent;
import dev.tailboard.testing.SseStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Failure first (issue 15) over real HTTP and SSE: error lines marked at ingestion, the build
 * summary's failure fields, annotations as events and as a list, and the dashboard's filters and
 * paging (docs/failures.md).
 */
class FailureSummaryIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ESC = "\u001b";

  /** A GitHub Actions log of a failed run: groups, colours, a failing test, annotations. */
  private static final List<String> LOG =
      List.of(
          "::group::Set up job",
          "Runner version 2.317.0",
          "::endgroup::",
          "::group::Install",
          "npm ci",
          "::warning file=package.json::npm is old",
          "added 120 packages in 3s, 0 errors",
          "::endgroup::",
          "::group::Test",
          "> jest",
          ESC + "[32mPASS" + ESC + "[39m src/util.test.js",
          ESC + "[1m" + ESC + "[31mFAIL" + ESC + "[39m" + ESC + "[22m src/app.test.js",
          "  ● app › renders",
          "    expect(received).toBe(expected)",
          "    at Object.<anonymous> (src/app.test.js:3:5)",
          "Tests:       1 failed, 1 passed, 2 total",
          "::error file=src/app.js,line=3::boom",
          "::endgroup::",
          "Error: Process completed with exit code 1.");

  private final Api api = Api.publisher();

  private static long lineOf(String text) {
    return LOG.indexOf(text) + 1;
  }

  @Test
  void aFailedRunIsMarkedSummarisedAndAnnotatedAsItArrives() {
    String project = "it/" + UUID.randomUUID().toString().substring(0, 8);
    String ref = "refs/heads/fail-" + UUID.randomUUID().toString().substring(0, 8);
    long id =
        Api.json(api.postJson("/api/builds", Map.of("project", project, "ref", ref)))
            .get("id")
            .asLong();
    long failLine = lineOf(LOG.get(11));
    long errorLine = lineOf("::error file=src/app.js,line=3::boom");
    long exitLine = lineOf("Error: Process completed with exit code 1.");

    try (SseStream feed = SseStream.open("/api/events");
        SseStream stream = SseStream.open("/api/builds/" + id + "/events")) {
      await().atMost(WAIT).until(() -> !feed.rawLines.isEmpty());
      await().atMost(WAIT).until(() -> !stream.of("build").isEmpty());
      api.append(id, LOG.subList(0, 10));
      api.append(id, LOG.subList(10, LOG.size()));
      api.status(id, "failed");
      await().atMost(WAIT).until(() -> stream.has("status", "failed"));

      // the log events mark their error lines by index within their lines
      TreeSet<Long> marked = new TreeSet<>();
      for (SseEvent e : stream.of("log")) {
        JsonNode errors = e.json().path("errors");
        long first = e.json().get("first").asLong();
        errors.forEach(i -> marked.add(first + i.asLong()));
      }
      assertThat(marked).containsExactly(failLine, errorLine, exitLine);
      assertThat(stream.of("log").get(0).json().has("errors")).isFalse();

      // one annotation event each, after the log event holding its line
      List<SseEvent> annotations = stream.of("annotation");
      assertThat(annotations).hasSize(2);
      JsonNode warning = annotations.get(0).json();
      assertThat(warning.get("level").asText()).isEqualTo("warning");
      assertThat(warning.get("file").asText()).isEqualTo("package.json");
      assertThat(warning.get("logLine").asLong()).isEqualTo(6);
      JsonNode error = annotations.get(1).json();
      assertThat(error.get("level").asText()).isEqualTo("error");
      assertThat(error.get("message").asText()).isEqualTo("boom");
      assertThat(error.get("file").asText()).isEqualTo("src/app.js");
      assertThat(error.get("line").asInt()).isEqualTo(3);
      assertThat(error.has("col")).isFalse();
      assertThat(error.get("logLine").asLong()).isEqualTo(errorLine);
      SseEvent holder =
          stream.of("log").stream()
              .filter(e -> e.json().get("first").asLong() <= errorLine)
              .reduce((a, b) -> b)
              .orElseThrow();
      assertThat(annotations.get(1).numericId()).isGreaterThan(holder.numericId());

      // the summary, as GET answers it
      JsonNode build = api.build(id);
      assertThat(build.get("errorCount").asLong()).isEqualTo(3);
      assertThat(build.get("firstErrorLine").asLong()).isEqualTo(failLine);
      assertThat(build.get("firstError").asText()).isEqualTo("FAIL src/app.test.js");
      assertThat(build.get("annotations"))
          .isEqualTo(Api.JSON.valueToTree(Map.of("error", 1, "warning", 1, "notice", 0)));

      // the dashboard feed heard of the first error, and the last summary is complete
      await()
          .atMost(WAIT)
          .until(() -> summaries(feed, id).stream().anyMatch(j -> isFirstError(j, failLine)));
      await().atMost(WAIT).until(() -> summaries(feed, id).stream().anyMatch(j -> isFailed(j)));
      List<JsonNode> announced = summaries(feed, id);
      JsonNode last = announced.get(announced.size() - 1);
      assertThat(last.get("status").asText()).isEqualTo("failed");
      assertThat(last.get("errorCount").asLong()).isEqualTo(3);
      assertThat(last.get("annotations").get("error").asInt()).isEqualTo(1);
    }

    // the list of annotations, in log order
    var listed = api.get("/api/builds/" + id + "/annotations");
    assertThat(listed.statusCode()).isEqualTo(200);
    JsonNode list = Api.json(listed);
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("level").asText()).isEqualTo("warning");
    assertThat(list.get(1).get("logLine").asLong()).isEqualTo(errorLine);
    assertThat(api.get("/api/builds/999999999/annotations").statusCode()).isEqualTo(404);

    // the dashboard row: ?ref= filters, and the row says why it failed
    JsonNode byRef = Api.json(api.get("/api/builds?ref=" + encode(ref)));
    assertThat(byRef).hasSize(1);
    assertThat(byRef.get(0).get("id").asLong()).isEqualTo(id);
    assertThat(byRef.get(0).get("firstError").asText()).isEqualTo("FAIL src/app.test.js");
    assertThat(Api.json(api.get("/api/builds?project=" + project + "&ref=other"))).isEmpty();
  }

  @Test
  void aBuildWithoutErrorsSaysSo() {
    long id = api.createBuild();
    api.append(id, List.of("compiled 3 files, 0 errors", "gcc -Werror main.c", "Errors: 0"));

    JsonNode build = api.build(id);

    assertThat(build.get("errorCount").asLong()).isZero();
    assertThat(build.get("firstErrorLine").isNull()).isTrue();
    assertThat(build.get("firstError").isNull()).isTrue();
    assertThat(build.get("annotations"))
        .isEqualTo(Api.JSON.valueToTree(Map.of("error", 0, "warning", 0, "notice", 0)));
    assertThat(Api.json(api.get("/api/builds/" + id + "/annotations"))).isEmpty();
  }

  @Test
  void aSecretRegisteredLateIsMaskedInTheSummaryAndTheAnnotationsToo() {
    long id = api.createBuild();
    String secret = "s3cr3t-" + UUID.randomUUID();
    api.append(
        id, List.of("ok", "::error title=" + secret + "::deploy with " + secret + " failed"));
    assertThat(api.build(id).get("firstError").asText()).contains(secret);

    var masked = api.postJson("/api/builds/" + id + "/masks", Map.of("values", List.of(secret)));

    assertThat(masked.statusCode()).isEqualTo(200);
    JsonNode build = api.build(id);
    assertThat(build.get("firstError").asText())
        .doesNotContain(secret)
        .isEqualTo("::error title=***::deploy with *** failed");
    JsonNode annotation = Api.json(api.get("/api/builds/" + id + "/annotations")).get(0);
    assertThat(annotation.get("message").asText()).isEqualTo("deploy with *** failed");
    assertThat(annotation.get("title").asText()).isEqualTo("***");
    api.status(id, "failed");
    try (SseStream replay = SseStream.open("/api/builds/" + id + "/events")) {
      await().atMost(WAIT).until(() -> replay.has("status", "failed"));
      assertThat(replay.rawLines).noneMatch(l -> l.contains(secret));
      assertThat(replay.of("annotation")).hasSize(1);
    }
  }

  @Test
  void pagingBackWithBeforeReachesTheOldestBuild() {
    String project = "it/" + UUID.randomUUID().toString().substring(0, 8);
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      created.add(api.createBuild(project));
    }
    List<Long> seen = new ArrayList<>();
    String before = "";
    int pages = 0;
    while (true) {
      JsonNode page = Api.json(api.get("/api/builds?project=" + project + "&limit=100" + before));
      if (page.isEmpty()) {
        break;
      }
      pages++;
      page.forEach(b -> seen.add(b.get("id").asLong()));
      before = "&before=" + seen.get(seen.size() - 1);
    }
    assertThat(pages).isEqualTo(3);
    java.util.Collections.reverse(created);
    assertThat(seen).containsExactlyElementsOf(created);
  }

  /** The summaries of build {@code id} the feed announced, in order. */
  private static List<JsonNode> summaries(SseStream feed, long id) {
    return feed.of("build").stream()
        .map(SseEvent::json)
        .filter(j -> j.get("id").asLong() == id)
        .toList();
  }

  private static boolean isFirstError(JsonNode summary, long line) {
    return summary.path("firstErrorLine").asLong() == line;
  }

  private static boolean isFailed(JsonNode summary) {
    return "failed".equals(summary.path("status").asText());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
