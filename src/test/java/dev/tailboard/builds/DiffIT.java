package dev.tailboard.builds;

import static dev.tailboard.builds.BuildApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.WarServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/builds/{id}/diff} over real HTTP against the WAR (one of its own, with anonymous
 * reading off so 401 and 403 can be seen): what is new in a failed build against the last passed
 * build of its project and ref, with the volatile parts of lines (docs/failures.md) not counting.
 */
class DiffIT {

  private static WarServer server;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    server = WarServer.start(Map.of("tailboard.auth.anonymousRead", "false"));
    api = new Api(server.baseUrl(), ItServer.publisher());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** The passed run's log. */
  private static List<String> greenLog() {
    return List.of(
        "2026-11-30T09:00:01.123Z \u001b[32mINFO\u001b[0m checkout 1b9778bd0c2a6a1f0e7e1f8b0ad4d0b7",
        "[2026-11-30 09:00:02] Downloading dependencies",
        "09:00:03.456 workdir /tmp/tmp.AbC123xyZ/app",
        "compile core (1405 ms)",
        "Tests run: 40, Failures: 0, in dev.tailboard.CoreTest took 3.2 seconds",
        "container 4f3a2b1c9d8e started",
        "job finished in 2m 3s");
  }

  /** The failed run's: the same lines with other times, durations, ids and paths, and 3 new. */
  private static List<String> redLog() {
    return List.of(
        "2026-12-01T07:13:59.001Z \u001b[32mINFO\u001b[0m checkout 22e8d35aa0c3f6d1e0f4f7c8b9a0d1e2",
        "[2026-12-01 07:14:00] Downloading dependencies",
        "07:14:01.002 workdir /tmp/tmp.QwErTy987/app",
        "compile core (12ms)",
        "\u001b[1;31merror:\u001b[0m expected 3 but was 4",
        "Tests run: 40, Failures: 1, in dev.tailboard.CoreTest took 4.75 seconds",
        "container a9b8c7d6e5f4 started   ",
        "    at dev.tailboard.CoreTest.sum(CoreTest.java:12)",
        "job finished in 1m 58s");
  }

  private static long build(String project, String ref, List<String> log, String status) {
    Map<String, Object> body = new HashMap<>();
    body.put("project", project);
    if (ref != null) {
      body.put("ref", ref);
    }
    HttpResponse<String> r = api.postJson("/api/builds", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    long id = Api.json(r).get("id").asLong();
    if (!log.isEmpty()) {
      api.append(id, log);
    }
    if (status != null) {
      api.status(id, status);
    }
    return id;
  }

  private static String project() {
    return "diff/" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static List<String> lines(JsonNode diff) {
    List<String> out = new ArrayList<>();
    diff.get("lines").forEach(l -> out.add(l.get("line").asLong() + " " + l.get("text").asText()));
    return out;
  }

  @Test
  void aFailedBuildAgainstTheLastPassedOneOfItsProjectAndRefListsExactlyTheNewLines() {
    String project = project();
    build(project, "main", List.of("an old green run"), "passed");
    long green = build(project, "main", greenLog(), "passed");
    // newer passed builds that must not be used: another project on the same ref, another ref
    build(project(), "main", List.of("another project"), "passed");
    build(project, "feature", List.of("another ref"), "passed");
    build(project, "main", List.of("a failed run between"), "failed");
    long red = build(project, "main", redLog(), "failed");
    build(project, "main", List.of("a passed run after"), "passed");

    HttpResponse<String> r = api.get("/api/builds/" + red + "/diff?against=last-passed");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode diff = Api.json(r);
    assertThat(diff.get("build").asLong()).isEqualTo(red);
    assertThat(diff.get("against").asLong()).isEqualTo(green);
    assertThat(diff.get("rule").asText()).isEqualTo("tailboard-diff-v1");
    assertThat(diff.has("truncated")).as("truncated only when cut short").isFalse();
    assertThat(lines(diff))
        .containsExactly(
            "5 error: expected 3 but was 4",
            "6 Tests run: 40, Failures: 1, in dev.tailboard.CoreTest took 4.75 seconds",
            "8     at dev.tailboard.CoreTest.sum(CoreTest.java:12)");

    // no against means last-passed
    assertThat(Api.json(api.get("/api/builds/" + red + "/diff"))).isEqualTo(diff);
  }

  @Test
  void againstABuildIdComparesWithThatBuild() {
    String project = project();
    long green = build(project, "main", greenLog(), "passed");
    long red = build(project, "main", redLog(), "failed");
    long other = build(project(), null, greenLog().subList(0, 3), "passed");

    JsonNode byId = Api.json(api.get("/api/builds/" + red + "/diff?against=" + green));
    assertThat(byId.get("against").asLong()).isEqualTo(green);
    assertThat(lines(byId)).hasSize(3);

    JsonNode vsOther = Api.json(api.get("/api/builds/" + red + "/diff?against=" + other));
    assertThat(vsOther.get("against").asLong()).isEqualTo(other);
    assertThat(lines(vsOther))
        .extracting(l -> l.substring(0, l.indexOf(' ')))
        .containsExactly("4", "5", "6", "7", "8", "9");

    JsonNode self = Api.json(api.get("/api/builds/" + red + "/diff?against=" + red));
    assertThat(self.get("lines")).isEmpty();

    assertProblem(api.get("/api/builds/" + red + "/diff?against=" + (red + 1000)), 404);
    assertProblem(api.get("/api/builds/" + red + "/diff?against=yesterday"), 400);
  }

  @Test
  void withoutAPassedBuildOfTheSameProjectAndRefTheAnswerIs404NamingWhatWasLookedFor() {
    String project = project();
    build(project(), "main", greenLog(), "passed"); // another project's: not used
    build(project, "feature", greenLog(), "passed"); // another ref's: not used
    long red = build(project, "main", redLog(), "failed");

    HttpResponse<String> r = api.get("/api/builds/" + red + "/diff?against=last-passed");
    assertProblem(r, 404);
    assertThat(Api.json(r).get("detail").asText())
        .contains(project)
        .contains("ref main")
        .contains("build " + red);

    // a build without a ref is compared with builds without one only
    long noRef = build(project, null, redLog(), "failed");
    HttpResponse<String> none = api.get("/api/builds/" + noRef + "/diff");
    assertProblem(none, 404);
    assertThat(Api.json(none).get("detail").asText()).contains("without a ref");
    long greenNoRef = build(project, null, greenLog(), "passed");
    long redNoRef = build(project, null, redLog(), "failed");
    JsonNode diff = Api.json(api.get("/api/builds/" + redNoRef + "/diff"));
    assertThat(diff.get("against").asLong()).isEqualTo(greenNoRef);
    assertThat(lines(diff)).hasSize(3);

    assertProblem(api.get("/api/builds/" + (redNoRef + 1000) + "/diff"), 404);
  }

  @Test
  void aCallerWithoutReadOnTheProjectIsRefused() {
    String project = project();
    build(project, "main", greenLog(), "passed");
    long red = build(project, "main", redLog(), "failed");
    String path = "/api/builds/" + red + "/diff?against=last-passed";

    assertProblem(new Api(server.baseUrl(), null).get(path), 401);
    assertProblem(new Api(server.baseUrl(), ItServer.token("read:elsewhere/**")).get(path), 403);
    assertThat(new Api(server.baseUrl(), ItServer.token("read:diff/**")).get(path).statusCode())
        .isEqualTo(200);

    // nor may a reader of this project compare with a build of a project it may not read
    long hidden =
        build("hidden/" + UUID.randomUUID().toString().substring(0, 8), null, greenLog(), "passed");
    assertProblem(
        new Api(server.baseUrl(), ItServer.token("read:diff/**"))
            .get("/api/builds/" + red + "/diff?against=" + hidden),
        403);
  }
}
