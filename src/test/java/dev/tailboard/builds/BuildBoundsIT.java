package dev.tailboard.builds;

import static dev.tailboard.builds.BuildApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.WarServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounds (the limits.* settings, README's Configuration) on what a client can make the server
 * hold for a build, against a WAR of its own started with small caps: the log's bytes, its steps,
 * the lengths of names.
 */
class BuildBoundsIT {

  private static final int MAX_BYTES = 1000;
  private static final int MAX_STEPS = 3;
  private static final int MAX_NAME = 20;
  private static final int MAX_SCAN = 50;

  private static WarServer server;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    server =
        WarServer.start(
            Map.of(
                "tailboard.log.maxBytesPerBuild", String.valueOf(MAX_BYTES),
                "tailboard.builds.maxSteps", String.valueOf(MAX_STEPS),
                "tailboard.builds.maxNameChars", String.valueOf(MAX_NAME),
                "tailboard.search.maxScanLines", String.valueOf(MAX_SCAN)));
    api = new Api(server.baseUrl(), ItServer.publisher());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void pastMaxBytesPerBuildTheServerAnswers413AndKeepsTheLinesThatFit() {
    long id = api.createBuild();
    String path = "/api/builds/" + id + "/log";
    // each line 9 bytes and its \n: 98 lines are 980 bytes, 2 more fill the 1000
    api.append(id, nineByteLines("aaaa", 98));

    HttpResponse<String> over = api.postJson(path, Map.of("lines", nineByteLines("bbbb", 5)));

    assertProblem(over, 413);
    assertThat(Api.json(over).get("detail").asText())
        .isEqualTo("log.maxBytesPerBuild reached: kept lines 99 to 100, refused the rest");
    assertThat(api.build(id).get("lineCount").asLong()).isEqualTo(100);
    HttpResponse<String> log = api.get(path);
    assertThat(log.body().getBytes(StandardCharsets.UTF_8)).hasSize(MAX_BYTES);

    assertProblem(api.postJson(path, Map.of("lines", List.of("x"))), 413);
    assertProblem(api.postText(path, "y\n"), 413);
    HttpResponse<String> seq = api.postJson(path + "?seq=5", Map.of("lines", List.of("z")));
    assertProblem(seq, 413);
    assertThat(Api.json(seq).get("detail").asText()).contains("log.maxBytesPerBuild");
    assertThat(api.get(path).body()).isEqualTo(log.body());

    // The build is not broken by the cap: it still finishes normally.
    api.status(id, "passed");
    assertThat(api.build(id).get("status").asText()).isEqualTo("passed");
  }

  @Test
  void pastMaxStepsNoStepIsAddedButOpenStepsStillFinish() {
    long id = api.createBuild();
    for (int i = 1; i <= MAX_STEPS; i++) {
      assertThat(step(id, "step-" + i, "running").statusCode()).isEqualTo(200);
    }

    HttpResponse<String> more = step(id, "step-4", "running");
    assertProblem(more, 413);
    assertThat(Api.json(more).get("detail").asText()).contains("builds.maxSteps (3)");
    assertProblem(step(id, "never-started", "passed"), 413);
    assertProblem(step(id, "step-1", "running"), 413); // a rerun is another step

    assertThat(step(id, "step-1", "passed").statusCode()).isEqualTo(200);
    assertThat(api.build(id).get("steps"))
        .extracting(s -> s.get("name").asText() + ":" + s.get("status").asText())
        .containsExactly("step-1:passed", "step-2:running", "step-3:running");
    api.status(id, "passed");
  }

  @Test
  void namesLongerThanMaxNameCharsAre400NamingTheSetting() {
    long id = api.createBuild();
    String tooLong = "n".repeat(MAX_NAME + 1);
    String longest = "🚀".repeat(MAX_NAME); // characters, not UTF-16 units or bytes

    HttpResponse<String> stepName = step(id, tooLong, "running");
    assertProblem(stepName, 400);
    assertThat(Api.json(stepName).get("detail").asText()).contains("builds.maxNameChars");
    String log = "/api/builds/" + id + "/log";
    assertProblem(api.postJson(log, Map.of("lines", List.of("a"), "step", tooLong)), 400);
    assertProblem(api.postText(log + "?step=" + tooLong, "a\n"), 400);
    HttpResponse<String> title =
        api.postJson("/api/builds", Map.of("project", "it/names", "title", tooLong));
    assertProblem(title, 400);
    assertThat(Api.json(title).get("detail").asText()).contains("builds.maxNameChars");

    assertThat(step(id, longest, "running").statusCode()).isEqualTo(200);
    assertThat(api.postJson(log, Map.of("lines", List.of("a"), "step", longest)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> created =
        api.postJson("/api/builds", Map.of("project", "it/names", "title", longest));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(api.build(id).get("lineCount").asLong()).isEqualTo(1);
  }

  @Test
  void aSearchScansAtMostMaxScanLinesAndAnswersWithTheMatchesSoFarAndTheFirstLineNotScanned() {
    long id = api.createBuild();
    List<String> lines = new java.util.ArrayList<>(Api.lines("l", 1, 120));
    lines.set(9, "needle at 10");
    lines.set(99, "NEEDLE at 100");
    api.append(id, lines);
    String search = "/api/builds/" + id + "/log/search?q=needle";

    com.fasterxml.jackson.databind.JsonNode first = Api.json(api.get(search));
    com.fasterxml.jackson.databind.JsonNode second = Api.json(api.get(search + "&from=51"));
    com.fasterxml.jackson.databind.JsonNode third = Api.json(api.get(search + "&from=101"));

    assertThat(first.get("matches")).extracting(m -> m.get("line").asLong()).containsExactly(10L);
    assertThat(first.get("next").asLong()).isEqualTo(MAX_SCAN + 1);
    assertThat(second.get("matches")).extracting(m -> m.get("line").asLong()).containsExactly(100L);
    assertThat(second.get("next").asLong()).isEqualTo(2 * MAX_SCAN + 1);
    assertThat(third.get("matches")).isEmpty();
    assertThat(third.get("next").isNull()).isTrue();
  }

  private static HttpResponse<String> step(long id, String name, String status) {
    return api.postJson("/api/builds/" + id + "/steps", Map.of("name", name, "status", status));
  }

  /** "aaaa00001", "aaaa00002", ...: lines of 9 bytes. */
  private static List<String> nineByteLines(String prefix, int count) {
    return java.util.stream.IntStream.rangeClosed(1, count)
        .mapToObj(i -> String.format("%s%05d", prefix, i))
        .toList();
  }
}
