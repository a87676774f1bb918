package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.store.BuildStatus;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ChunkedUpload;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.SseStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The build API (README, HTTP API) against the real WAR in Jetty: creating, listing and reading
 * builds, log ingest (JSON and text/plain, streamed, retried, split, capped), steps and status, and
 * the problem+json errors. Every test works on builds of its own, in fresh projects.
 */
class BuildApiIT {

  private static final int MAX_LINE_BYTES = 65536;
  private static final int MAX_LINES_PER_BUILD = 20000;
  private static final List<String> SUMMARY_FIELDS =
      List.of(
          "id",
          "project",
          "title",
          "ref",
          "commit",
          "url",
          "status",
          "steps",
          "lineCount",
          "lastEventId",
          "createdAt",
          "startedAt",
          "finishedAt",
          "errorCount",
          "firstErrorLine",
          "firstError",
          "annotations");

  private final Api api = Api.publisher();

  // ---------------------------------------------------------------- creating and reading builds

  @Test
  void createAnswers201WithLocationAndTheFullSummary() {
    String project = freshProject();
    Map<String, String> body =
        Map.of(
            "project", project,
            "title", "Nightly é 🚀",
            "ref", "refs/heads/main",
            "commit", "0123456789abcdef0123456789abcdef01234567",
            "url", "https://ci.example.com/jobs/42");

    HttpResponse<String> created = api.postJson("/api/builds", body);

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(contentType(created)).startsWith("application/json");
    JsonNode build = Api.json(created);
    assertThat(fieldNames(build)).containsAll(SUMMARY_FIELDS);
    long id = build.get("id").asLong();
    assertThat(id).isPositive();
    assertThat(build.get("project").asText()).isEqualTo(project);
    assertThat(build.get("title").asText()).isEqualTo("Nightly é 🚀");
    assertThat(build.get("ref").asText()).isEqualTo("refs/heads/main");
    assertThat(build.get("commit").asText()).isEqualTo(body.get("commit"));
    assertThat(build.get("url").asText()).isEqualTo(body.get("url"));
    assertThat(build.get("status").asText()).isNotBlank();
    assertThat(BuildStatus.isTerminal(build.get("status").asText())).isFalse();
    assertThat(build.get("steps").isArray()).isTrue();
    assertThat(build.get("steps")).isEmpty();
    assertThat(build.get("lineCount").asLong()).isZero();
    assertThat(build.get("lastEventId").asLong()).isEqualTo(1);
    assertThat(java.time.Instant.parse(build.get("createdAt").asText()))
        .isBetween(
            java.time.Instant.now().minus(Duration.ofMinutes(5)),
            java.time.Instant.now().plus(Duration.ofMinutes(5)));
    assertThat(build.get("startedAt").isNull()).isTrue();
    assertThat(build.get("finishedAt").isNull()).isTrue();

    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(URI.create(location).getPath()).isEqualTo("/api/builds/" + id);
    HttpResponse<String> fetched = api.send(api.request(URI.create(location).getPath()).build());
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(Api.json(fetched)).isEqualTo(build);
  }

  @Test
  void getByIdReturnsTheCurrentSummary() {
    String project = freshProject();
    long id = api.createBuild(project);
    api.append(id, Api.lines("x", 1, 3));

    HttpResponse<String> r = api.get("/api/builds/" + id);

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode build = Api.json(r);
    assertThat(fieldNames(build)).containsAll(SUMMARY_FIELDS);
    assertThat(build.get("id").asLong()).isEqualTo(id);
    assertThat(build.get("project").asText()).isEqualTo(project);
    assertThat(build.get("lineCount").asLong()).isEqualTo(3);
    assertThat(build.get("status").asText()).isEqualTo("running");
    assertThat(build.get("startedAt").isTextual()).isTrue();
  }

  @Test
  void theSameIdempotencyKeyTwiceReturnsTheSameBuild() {
    String project = freshProject();
    String key = "job-" + UUID.randomUUID();

    HttpResponse<String> first = createWithKey(project, key);
    HttpResponse<String> second = createWithKey(project, key);
    HttpResponse<String> other = createWithKey(project, key + "-other");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isBetween(200, 201);
    long id = Api.json(first).get("id").asLong();
    assertThat(Api.json(second).get("id").asLong()).isEqualTo(id);
    assertThat(Api.json(other).get("id").asLong()).isNotEqualTo(id);
    assertThat(ids(api.get("/api/builds?project=" + project)))
        .containsExactly(Api.json(other).get("id").asLong(), id);
  }

  @Test
  void theSameIdempotencyKeyWithAnotherBodyIs422AndCreatesNothing() {
    String project = freshProject();
    String key = "job-" + UUID.randomUUID();
    HttpResponse<String> first = createWithKey(project, key);

    HttpResponse<String> other =
        createWithBody(key, Api.write(Map.of("project", project, "title", "another build")));
    HttpResponse<String> same = createWithKey(project, key);

    assertProblem(other, 422);
    assertThat(Api.json(other).get("detail").asText())
        .contains("Idempotency-Key \"" + key + "\"")
        .contains("differs from the first request's");
    assertThat(same.statusCode()).isBetween(200, 201);
    long id = Api.json(first).get("id").asLong();
    assertThat(Api.json(same).get("id").asLong()).isEqualTo(id);
    assertThat(ids(api.get("/api/builds?project=" + project))).containsExactly(id);
  }

  @Test
  void aCreateRepeatedBeforeAnyLineIsAnnouncedOnceOnTheFeed() {
    String project = freshProject();
    String key = "job-" + UUID.randomUUID();
    try (SseStream feed = SseStream.open("/api/events")) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !feed.rawLines.isEmpty());
      long id = Api.json(createWithKey(project, key)).get("id").asLong();
      assertThat(Api.json(createWithKey(project, key)).get("id").asLong()).isEqualTo(id);
      assertThat(Api.json(createWithKey(project, key)).get("id").asLong()).isEqualTo(id);
      // the feed is in order: once a later build is on it, any second announcement would be too
      long later = api.createBuild(project);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> feed.of("build").stream().anyMatch(e -> buildId(e) == later));

      assertThat(feed.of("build").stream().filter(e -> buildId(e) == id)).hasSize(1);
    }
  }

  private static long buildId(dev.tailboard.testing.SseEvent e) {
    return e.json().get("id").asLong();
  }

  @Test
  void concurrentRetriesWithOneIdempotencyKeyAllGetTheSameBuild() throws Exception {
    String project = freshProject();
    String key = "job-" + UUID.randomUUID();
    int clients = 6;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> replies = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        replies.add(
            pool.submit(
                () -> {
                  go.await();
                  return createWithKey(project, key);
                }));
      }
      go.countDown();
      Set<Long> buildIds = new HashSet<>();
      for (Future<HttpResponse<String>> reply : replies) {
        HttpResponse<String> r = reply.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        buildIds.add(Api.json(r).get("id").asLong());
      }
      assertThat(buildIds).hasSize(1);
      assertThat(ids(api.get("/api/builds?project=" + project)))
          .containsExactlyElementsOf(buildIds);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listIsNewestFirstFiltersByProjectAndStatusAndPagesWithLimitAndBefore() {
    String project = freshProject();
    long a = api.createBuild(project);
    long b = api.createBuild(project);
    long c = api.createBuild(project);
    long elsewhere = api.createBuild(freshProject());
    api.status(b, "running");
    api.status(b, "passed");
    api.status(c, "running");

    assertThat(ids(api.get("/api/builds?project=" + project))).containsExactly(c, b, a);
    assertThat(ids(api.get("/api/builds?project=" + project + "&status=passed")))
        .containsExactly(b);
    assertThat(ids(api.get("/api/builds?project=" + project + "&status=running")))
        .containsExactly(c);

    List<Long> page1 = ids(api.get("/api/builds?project=" + project + "&limit=2"));
    assertThat(page1).containsExactly(c, b);
    List<Long> page2 =
        ids(api.get("/api/builds?project=" + project + "&limit=2&before=" + page1.get(1)));
    assertThat(page2).containsExactly(a);
    assertThat(ids(api.get("/api/builds?project=" + project + "&limit=2&before=" + a))).isEmpty();

    List<Long> all = ids(api.get("/api/builds?limit=50"));
    assertThat(all).contains(elsewhere).isSortedAccordingTo((x, y) -> Long.compare(y, x));
    JsonNode listed = Api.json(api.get("/api/builds?project=" + project + "&status=passed"));
    assertThat(listed.get(0).get("status").asText()).isEqualTo("passed");
    assertThat(listed.get(0).get("project").asText()).isEqualTo(project);
  }

  // ---------------------------------------------------------------- errors

  @Test
  void unknownBuildIs404ProblemOnEveryRoute() {
    long missing = Long.MAX_VALUE - 7;
    String base = "/api/builds/" + missing;

    assertProblem(api.get(base), 404);
    assertProblem(api.get(base + "/log"), 404);
    assertProblem(api.postJson(base + "/log", "{\"lines\":[\"x\"]}"), 404);
    assertProblem(api.postText(base + "/log", "x\n"), 404);
    assertProblem(api.postJson(base + "/steps", "{\"name\":\"a\",\"status\":\"running\"}"), 404);
    assertProblem(api.postJson(base + "/status", "{\"status\":\"running\"}"), 404);
    assertProblem(api.get("/api/no-such-route"), 404);
  }

  @Test
  void badProjectNamesAre400() {
    String tooLong = "p" + "x".repeat(200);
    for (String bad : List.of("a b", tooLong, "", "a//b", "/a", "a/", "ä", "a\\b", "a\nb")) {
      HttpResponse<String> r = api.postJson("/api/builds", Map.of("project", bad));
      assertProblem(r, 400);
    }
    assertProblem(api.postJson("/api/builds", "{\"title\":\"no project\"}"), 400);
    assertProblem(
        api.get("/api/builds?project=" + URLEncoder.encode("a b", StandardCharsets.UTF_8)), 400);

    String longest = "it/" + UUID.randomUUID() + "/" + "y".repeat(200 - 40);
    assertThat(longest).hasSize(200);
    HttpResponse<String> ok = api.postJson("/api/builds", Map.of("project", longest));
    assertThat(ok.statusCode()).isEqualTo(201);
    assertThat(Api.json(ok).get("project").asText()).isEqualTo(longest);
  }

  @Test
  void pathTraversalProjectNamesAre400() {
    for (String bad : List.of("../x", "..", "a/../b", "a/..")) {
      HttpResponse<String> r = api.postJson("/api/builds", Map.of("project", bad));
      assertProblem(r, 400);
    }
  }

  @Test
  void malformedJsonIs400Problem() {
    long id = api.createBuild();

    assertProblem(api.postJson("/api/builds", "{\"project\": "), 400);
    assertProblem(api.postJson("/api/builds", "{\"project\": [\"a\"]}"), 400);
    assertProblem(api.postJson("/api/builds", "not json"), 400);
    assertProblem(api.postJson("/api/builds/" + id + "/log", "{\"lines\": [\"a\""), 400);
    assertProblem(api.postJson("/api/builds/" + id + "/steps", "{\"name\":"), 400);
    assertProblem(api.postJson("/api/builds/" + id + "/status", "{status: running}"), 400);
  }

  @Test
  void invalidParametersAre400Problem() {
    String project = freshProject();
    api.createBuild(project);

    assertProblem(api.get("/api/builds?limit=0"), 400);
    assertProblem(api.get("/api/builds?limit=100000"), 400);
    assertProblem(createWithKey(project, "k".repeat(201)), 400);
  }

  @Test
  void overlongOptionalFieldsAreRefusedOrKeptButNeverAServerError() {
    String project = freshProject();
    Map<String, String> body =
        Map.of(
            "project", project,
            "title", "t".repeat(5000),
            "ref", "r".repeat(5000),
            "commit", "c".repeat(5000),
            "url", "https://ci.example.com/" + "u".repeat(5000));

    HttpResponse<String> r = api.postJson("/api/builds", body);

    if (r.statusCode() == 201) {
      JsonNode build = Api.json(r);
      for (String field : List.of("title", "ref", "commit", "url")) {
        assertThat(build.get(field).asText()).isEqualTo(body.get(field));
      }
    } else {
      assertProblem(r, 400);
      assertThat(ids(api.get("/api/builds?project=" + project))).isEmpty();
    }
  }

  // ---------------------------------------------------------------- log ingest

  @Test
  void jsonChunksAreNumberedConsecutivelyAcrossChunks() {
    long id = api.createBuild();

    JsonNode r1 = api.append(id, Api.lines("a", 1, 3));
    JsonNode r2 = api.append(id, Api.lines("b", 1, 2));
    HttpResponse<String> text = api.postText("/api/builds/" + id + "/log", "c-1\nc-2\nc-3\nc-4\n");

    assertThat(fieldNames(r1)).contains("first", "last", "lastEventId");
    assertThat(r1.get("first").asLong()).isEqualTo(1);
    assertThat(r1.get("last").asLong()).isEqualTo(3);
    assertThat(r2.get("first").asLong()).isEqualTo(4);
    assertThat(r2.get("last").asLong()).isEqualTo(5);
    assertThat(r2.get("lastEventId").asLong()).isGreaterThan(r1.get("lastEventId").asLong());
    assertThat(text.statusCode()).isEqualTo(200);
    JsonNode r3 = Api.json(text);
    assertThat(r3.get("first").asLong()).isEqualTo(6);
    assertThat(r3.get("last").asLong()).isEqualTo(9);
    assertThat(r3.get("lastEventId").asLong()).isGreaterThan(r2.get("lastEventId").asLong());

    JsonNode build = api.build(id);
    assertThat(build.get("lineCount").asLong()).isEqualTo(9);
    assertThat(build.get("lastEventId").asLong()).isEqualTo(r3.get("lastEventId").asLong());
    List<String> expected = new ArrayList<>(Api.lines("a", 1, 3));
    expected.addAll(Api.lines("b", 1, 2));
    expected.addAll(Api.lines("c", 1, 4));
    assertThat(rawLog(id)).containsExactlyElementsOf(expected);
  }

  @Test
  void aChunkSentTwiceWithTheSameSeqIsStoredOnceAndAnsweredTheSame() {
    long id = api.createBuild();
    String path = "/api/builds/" + id + "/log";
    String chunk1 = Api.write(Map.of("lines", Api.lines("one", 1, 3)));
    String chunk2 = Api.write(Map.of("lines", Api.lines("two", 1, 2)));

    HttpResponse<String> first = api.postJson(path + "?seq=1", chunk1);
    HttpResponse<String> retry = api.postJson(path + "?seq=1", chunk1);
    HttpResponse<String> next = api.postJson(path + "?seq=2", chunk2);
    HttpResponse<String> lateRetry = api.postJson(path + "?seq=1", chunk1);
    HttpResponse<String> text = postTextBytes(path + "?seq=3", "t-1\nt-2\n".getBytes());
    HttpResponse<String> textRetry = postTextBytes(path + "?seq=3", "t-1\nt-2\n".getBytes());

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(Api.json(retry)).isEqualTo(Api.json(first));
    assertThat(Api.json(first).get("first").asLong()).isEqualTo(1);
    assertThat(Api.json(first).get("last").asLong()).isEqualTo(3);
    assertThat(Api.json(next).get("first").asLong()).isEqualTo(4);
    assertThat(lateRetry.statusCode()).isEqualTo(200);
    assertThat(Api.json(lateRetry)).isEqualTo(Api.json(first));
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(Api.json(textRetry)).isEqualTo(Api.json(text));
    assertThat(Api.json(text).get("first").asLong()).isEqualTo(6);

    List<String> expected = new ArrayList<>(Api.lines("one", 1, 3));
    expected.addAll(Api.lines("two", 1, 2));
    expected.addAll(List.of("t-1", "t-2"));
    assertThat(rawLog(id)).containsExactlyElementsOf(expected);
    assertThat(api.build(id).get("lineCount").asLong()).isEqualTo(7);
  }

  @Test
  void aSeqReusedWithAnotherBodyIs422AndAppendsNothing() {
    long id = api.createBuild();
    String path = "/api/builds/" + id + "/log";
    HttpResponse<String> first =
        api.postJson(path + "?seq=1", Map.of("lines", List.of("a", "b"), "step", "compile"));
    postTextBytes(path + "?seq=2", "t-1\n".getBytes());
    JsonNode before = api.build(id);

    HttpResponse<String> otherLines =
        api.postJson(path + "?seq=1", Map.of("lines", List.of("a", "c"), "step", "compile"));
    HttpResponse<String> otherStep =
        api.postJson(path + "?seq=1", Map.of("lines", List.of("a", "b"), "step", "test"));
    HttpResponse<String> otherText = postTextBytes(path + "?seq=2", "t-2\n".getBytes());
    HttpResponse<String> same =
        api.postJson(path + "?seq=1", Map.of("lines", List.of("a", "b"), "step", "compile"));

    assertProblem(otherLines, 422);
    assertThat(Api.json(otherLines).get("detail").asText())
        .contains("seq 1 of build " + id)
        .contains("differs from the first request's");
    assertProblem(otherStep, 422);
    assertProblem(otherText, 422);
    assertThat(Api.json(otherText).get("detail").asText()).contains("seq 2 of build " + id);
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(Api.json(same)).isEqualTo(Api.json(first));
    assertThat(api.build(id)).isEqualTo(before);
    assertThat(rawLog(id)).containsExactly("a", "b", "t-1");
  }

  @Test
  void textPlainLinesDropCrlfButKeepALoneCarriageReturn() {
    long id = api.createBuild();
    String body = "one\r\ntwo\r\nprogress 10%\rprogress 20%\r\n\r\nlast without newline";

    HttpResponse<String> r = api.postText("/api/builds/" + id + "/log", body);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Api.json(r).get("first").asLong()).isEqualTo(1);
    assertThat(Api.json(r).get("last").asLong()).isEqualTo(5);
    assertThat(rawLog(id))
        .containsExactly("one", "two", "progress 10%\rprogress 20%", "", "last without newline");
  }

  @Test
  void aChunkedTextBodyIsPublishedAsItArrives() throws Exception {
    long id = api.createBuild();
    try (SseStream stream = SseStream.open("/api/builds/" + id + "/events");
        ChunkedUpload upload =
            new ChunkedUpload("/api/builds/" + id + "/log", ItServer.publisher())) {
      assertThat(stream.status()).isEqualTo(200);
      upload.write("compiling é\nlinking 🔗\n");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(stream.logLines())
                      .as("lines on the stream while the body is still open")
                      .containsExactly("compiling é", "linking 🔗"));
      upload.write("tests: 1 ");
      upload.write("passed\n");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(stream.logLines())
                      .containsExactly("compiling é", "linking 🔗", "tests: 1 passed"));
      assertThat(api.build(id).get("lineCount").asLong()).isEqualTo(3);

      String response = upload.finish();
      assertThat(response).startsWith("HTTP/1.1 200");
      JsonNode reply = Api.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertThat(reply.get("first").asLong()).isEqualTo(1);
      assertThat(reply.get("last").asLong()).isEqualTo(3);
    }
    assertThat(rawLog(id)).containsExactly("compiling é", "linking 🔗", "tests: 1 passed");
  }

  @Test
  void aLineOverMaxLineBytesIsSplitOnCharacterBoundariesWithNothingAddedOrLost() {
    StringBuilder mixed = new StringBuilder();
    while (utf8(mixed.toString()) < 100 * 1024) {
      mixed.append("aé😀"); // 1 + 2 + 4 bytes: piece boundaries fall inside characters
    }
    String emoji = "x" + "😀".repeat(25 * 1024);
    for (String line : List.of(mixed.toString(), emoji)) {
      long viaJson = api.createBuild();
      JsonNode reply = api.append(viaJson, List.of(line));
      assertSplit(viaJson, reply, line);

      long viaText = api.createBuild();
      HttpResponse<String> text =
          postTextBytes(
              "/api/builds/" + viaText + "/log", (line + "\n").getBytes(StandardCharsets.UTF_8));
      assertThat(text.statusCode()).isEqualTo(200);
      assertSplit(viaText, Api.json(text), line);
    }
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() throws IOException {
    long id = api.createBuild();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write("before\nbad ".getBytes(StandardCharsets.UTF_8));
    body.write(new byte[] {(byte) 0xFF});
    body.write(" byte\ncut ".getBytes(StandardCharsets.UTF_8));
    body.write(new byte[] {(byte) 0xE2, (byte) 0x82});
    body.write("\nafter é\n".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> r = postTextBytes("/api/builds/" + id + "/log", body.toByteArray());

    assertThat(r.statusCode()).isEqualTo(200);
    List<String> log = rawLog(id);
    assertThat(log).hasSize(4);
    assertThat(log.get(0)).isEqualTo("before");
    assertThat(log.get(1)).isEqualTo("bad \uFFFD byte");
    assertThat(log.get(2)).matches("cut \uFFFD{1,2}");
    assertThat(log.get(3)).isEqualTo("after é");

    long viaJson = api.createBuild();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    json.write("{\"lines\":[\"ok\",\"x".getBytes(StandardCharsets.UTF_8));
    json.write(new byte[] {(byte) 0xC3});
    json.write("y\"]}".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> rj =
        api.send(
            api.request("/api/builds/" + viaJson + "/log")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.toByteArray()))
                .build());
    assertThat(rj.statusCode()).as(rj.body()).isEqualTo(200);
    assertThat(rawLog(viaJson)).containsExactly("ok", "x\uFFFDy");
  }

  @Test
  void rawLogIsTextPlainWithEveryLineAndFromToGivesARange() {
    long id = api.createBuild();
    List<String> lines = Api.lines("line", 1, 450);
    api.append(id, lines.subList(0, 200));
    api.append(id, lines.subList(200, 201));
    api.append(id, lines.subList(201, 450));

    HttpResponse<String> whole = api.get("/api/builds/" + id + "/log");
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(contentType(whole)).startsWith("text/plain");
    assertThat(rawLog(id)).containsExactlyElementsOf(lines);

    assertThat(rawLog(id, "?from=3&to=5")).containsExactly("line-3", "line-4", "line-5");
    assertThat(rawLog(id, "?from=199&to=203")).containsExactlyElementsOf(lines.subList(198, 203));
    assertThat(rawLog(id, "?from=201&to=201")).containsExactly("line-201");
    assertThat(rawLog(id, "?from=440")).containsExactlyElementsOf(lines.subList(439, 450));
    assertThat(rawLog(id, "?to=2")).containsExactly("line-1", "line-2");
    assertThat(rawLog(id, "?from=449&to=10000")).containsExactly("line-449", "line-450");
  }

  @Test
  void searchFindsWhatTheReaderSeesAcrossTheWholeLogAPageAtATime() {
    long id = api.createBuild("search/" + UUID.randomUUID().toString().substring(0, 8));
    List<String> lines = new ArrayList<>(Api.lines("line", 1, 3000));
    lines.set(9, "\u001b[1;31mERROR:\u001b[0m disk full"); // line 10, coloured
    lines.set(1499, "compiling\rerror: missing ;"); // line 1500, after a carriage return
    lines.set(1999, "error: gone\rall fine"); // line 2000: overwritten, not shown
    lines.set(2999, "last Error here"); // line 3000
    for (int i = 0; i < lines.size(); i += 500) {
      api.append(id, lines.subList(i, i + 500));
    }

    JsonNode all = Api.json(api.get("/api/builds/" + id + "/log/search?q=error"));
    assertThat(all.get("matches").findValuesAsText("line")).containsExactly("10", "1500", "3000");
    assertThat(all.get("matches").get(0).get("text").asText()).isEqualTo("ERROR: disk full");
    assertThat(all.get("matches").get(1).get("text").asText()).isEqualTo("error: missing ;");
    assertThat(all.get("next").isNull()).isTrue();

    // A page of two, then the rest from where it stopped.
    JsonNode first = Api.json(api.get("/api/builds/" + id + "/log/search?q=ERROR&limit=2"));
    assertThat(first.get("matches").findValuesAsText("line")).containsExactly("10", "1500");
    long next = first.get("next").asLong();
    assertThat(next).isEqualTo(1501);
    JsonNode rest =
        Api.json(api.get("/api/builds/" + id + "/log/search?q=ERROR&limit=2&from=" + next));
    assertThat(rest.get("matches").findValuesAsText("line")).containsExactly("3000");
    assertThat(rest.get("next").isNull()).isTrue();

    assertProblem(api.get("/api/builds/" + id + "/log/search"), 400);
    assertProblem(api.get("/api/builds/" + id + "/log/search?q=x&limit=0"), 400);
    assertProblem(api.get("/api/builds/" + id + "/log/search?q=" + "x".repeat(201)), 400);
    assertProblem(api.get("/api/builds/999999999/log/search?q=x"), 404);
  }

  // ---------------------------------------------------------------- steps and status

  @Test
  void stepsAndStatusShowUpInTheSummary() {
    long id = api.createBuild();
    String path = "/api/builds/" + id;

    HttpResponse<String> running = api.postJson(path + "/status", "{\"status\":\"running\"}");
    assertThat(running.statusCode()).isEqualTo(200);
    JsonNode afterRunning = api.build(id);
    assertThat(afterRunning.get("status").asText()).isEqualTo("running");
    assertThat(afterRunning.get("startedAt").isTextual()).isTrue();
    assertThat(afterRunning.path("finishedAt").isTextual()).isFalse();

    assertThat(
            api.postJson(path + "/steps", "{\"name\":\"compile\",\"status\":\"running\"}")
                .statusCode())
        .isEqualTo(200);
    api.append(id, Api.lines("compile", 1, 3));
    assertThat(
            api.postJson(path + "/steps", "{\"name\":\"compile\",\"status\":\"passed\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(
            api.postJson(path + "/steps", "{\"name\":\"test\",\"status\":\"running\"}")
                .statusCode())
        .isEqualTo(200);

    JsonNode steps = api.build(id).get("steps");
    assertThat(steps).hasSize(2);
    assertThat(steps.get(0).get("name").asText()).isEqualTo("compile");
    assertThat(steps.get(0).get("status").asText()).isEqualTo("passed");
    assertThat(steps.get(0).get("line").asLong()).isEqualTo(1);
    assertThat(steps.get(1).get("name").asText()).isEqualTo("test");
    assertThat(steps.get(1).get("status").asText()).isEqualTo("running");
    assertThat(steps.get(1).get("line").asLong()).isEqualTo(4);

    HttpResponse<String> passed = api.postJson(path + "/status", "{\"status\":\"passed\"}");
    assertThat(passed.statusCode()).isEqualTo(200);
    JsonNode finished = api.build(id);
    assertThat(finished.get("status").asText()).isEqualTo("passed");
    assertThat(finished.get("finishedAt").isTextual()).isTrue();
    assertThat(java.time.Instant.parse(finished.get("finishedAt").asText()))
        .isAfterOrEqualTo(java.time.Instant.parse(finished.get("startedAt").asText()));
  }

  @Test
  void afterATerminalStatusLogStepsAndStatusAre409AndTheLogIsUnchanged() {
    long id = api.createBuild();
    String path = "/api/builds/" + id;
    HttpResponse<String> stored = api.postJson(path + "/log?seq=1", Map.of("lines", List.of("ok")));
    api.status(id, "running");
    api.status(id, "failed");
    JsonNode before = api.build(id);
    List<String> logBefore = rawLog(id);

    assertProblem(api.postJson(path + "/log", Map.of("lines", List.of("late"))), 409);
    assertProblem(api.postJson(path + "/log?seq=2", Map.of("lines", List.of("late"))), 409);
    assertProblem(api.postText(path + "/log", "late\n"), 409);
    assertProblem(
        api.send(
            api.request(path + "/log")
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("late\n"))
                .build()),
        409);
    assertProblem(api.postJson(path + "/steps", "{\"name\":\"late\",\"status\":\"running\"}"), 409);
    assertProblem(api.postJson(path + "/status", "{\"status\":\"running\"}"), 409);
    assertProblem(api.postJson(path + "/status", "{\"status\":\"passed\"}"), 409);

    HttpResponse<String> retry = api.postJson(path + "/log?seq=1", Map.of("lines", List.of("ok")));
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(Api.json(retry)).isEqualTo(Api.json(stored));

    assertThat(api.build(id)).isEqualTo(before);
    assertThat(before.get("status").asText()).isEqualTo("failed");
    assertThat(rawLog(id)).isEqualTo(logBefore).containsExactly("ok");
  }

  // ---------------------------------------------------------------- limits and bad input

  @Test
  void pastMaxLinesPerBuildTheServerAnswers413AndKeepsWhatItHas() {
    long id = api.createBuild();
    String path = "/api/builds/" + id + "/log";
    int chunk = 9_999;
    api.append(id, Api.lines("a", 1, chunk));
    api.append(id, Api.lines("b", 1, chunk));
    int room = MAX_LINES_PER_BUILD - 2 * chunk;

    HttpResponse<String> over = api.postJson(path, Map.of("lines", Api.lines("c", 1, room + 3)));
    assertProblem(over, 413);
    assertThat(api.build(id).get("lineCount").asLong()).isEqualTo(MAX_LINES_PER_BUILD);

    assertProblem(api.postJson(path, Map.of("lines", List.of("d-1"))), 413);
    assertProblem(api.postText(path, "e-1\ne-2\n"), 413);
    assertProblem(api.postJson(path + "?seq=77", Map.of("lines", List.of("f-1"))), 413);

    JsonNode build = api.build(id);
    assertThat(build.get("lineCount").asLong()).isEqualTo(MAX_LINES_PER_BUILD);
    List<String> log = rawLog(id);
    assertThat(log).hasSize(MAX_LINES_PER_BUILD);
    assertThat(log.subList(0, chunk)).containsExactlyElementsOf(Api.lines("a", 1, chunk));
    assertThat(log.subList(chunk, 2 * chunk)).containsExactlyElementsOf(Api.lines("b", 1, chunk));
    assertThat(log.subList(2 * chunk, MAX_LINES_PER_BUILD))
        .containsExactlyElementsOf(Api.lines("c", 1, room));
    assertThat(rawLog(id, "?from=" + (MAX_LINES_PER_BUILD - 1)))
        .containsExactlyElementsOf(Api.lines("c", room - 1, 2));

    // The build is not broken by the cap: it still finishes normally.
    api.status(id, "passed");
    assertThat(api.build(id).get("status").asText()).isEqualTo("passed");
  }

  @Test
  void aRetryOfAChunkCutByTheCapIsAnsweredLikeTheFirstTime() {
    long id = api.createBuild();
    String path = "/api/builds/" + id + "/log";
    api.append(id, Api.lines("a", 1, 9_999));
    api.append(id, Api.lines("b", 1, 9_999));
    String overflowing = Api.write(Map.of("lines", Api.lines("c", 1, 5)));

    HttpResponse<String> first = api.postJson(path + "?seq=9", overflowing);
    HttpResponse<String> retry = api.postJson(path + "?seq=9", overflowing);

    assertProblem(first, 413);
    // The publisher's retry must not be told the whole chunk was stored when 3 lines were refused.
    assertProblem(retry, 413);
    assertThat(rawLog(id, "?from=19998")).containsExactly("b-9999", "c-1", "c-2");
  }

  @Test
  void badInputNeverHarmsWhatIsAlreadyStored() {
    long id = api.createBuild();
    String path = "/api/builds/" + id;
    api.append(id, Api.lines("kept", 1, 3));
    api.postJson(path + "/steps", "{\"name\":\"build\",\"status\":\"running\"}");
    JsonNode before = api.build(id);
    List<String> logBefore = rawLog(id);

    assertProblem(api.postJson(path + "/log", "{\"lines\":[\"half"), 400);
    assertProblem(api.postJson(path + "/log", "{\"lines\":null}"), 400);
    assertProblem(api.postJson(path + "/log", "{\"step\":\"x\"}"), 400);
    assertProblem(api.postJson(path + "/log", "{\"lines\":[\"a\"],\"stream\":\"stdfoo\"}"), 400);
    assertProblem(api.postJson(path + "/log", "[]"), 400);
    assertProblem(api.postJson(path + "/log", Map.of("lines", Api.lines("big", 1, 10_001))), 413);
    assertProblem(api.postJson(path + "/steps", "{\"status\":\"running\"}"), 400);
    assertProblem(api.postJson(path + "/steps", "{\"name\":\"x\",\"status\":\"sideways\"}"), 400);
    assertProblem(api.postJson(path + "/status", "{\"status\":\"sideways\"}"), 400);
    assertProblem(api.postJson(path + "/status", "{\"status\":"), 400);
    HttpResponse<String> badSeq = api.postJson(path + "/log?seq=abc", "{\"lines\":[\"x\"]}");
    assertThat(badSeq.statusCode()).isBetween(400, 499);
    assertThat(contentType(badSeq)).startsWith("application/problem+json");

    assertThat(api.build(id)).isEqualTo(before);
    assertThat(rawLog(id)).isEqualTo(logBefore);
    JsonNode next = api.append(id, List.of("still works"));
    assertThat(next.get("first").asLong()).isEqualTo(4);
  }

  @Test
  void aMissingStepOrBuildStatusIs400NotAServerError() {
    long id = api.createBuild();
    String path = "/api/builds/" + id;
    api.append(id, List.of("kept"));
    JsonNode before = api.build(id);

    assertProblem(api.postJson(path + "/status", "{}"), 400);
    assertProblem(api.postJson(path + "/status", "{\"status\":null}"), 400);
    assertProblem(api.postJson(path + "/steps", "{\"name\":\"compile\"}"), 400);

    assertThat(api.build(id)).isEqualTo(before);
  }

  // ---------------------------------------------------------------- helpers

  private void assertSplit(long id, JsonNode reply, String line) {
    List<String> pieces = rawLog(id);
    assertThat(pieces).hasSizeGreaterThanOrEqualTo(2);
    assertThat(String.join("", pieces)).isEqualTo(line);
    for (String piece : pieces) {
      assertThat(piece).isNotEmpty();
      assertThat(utf8(piece)).isLessThanOrEqualTo(MAX_LINE_BYTES);
      // no half surrogate pair: the piece survives a UTF-8 round trip
      assertThat(new String(piece.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
          .isEqualTo(piece);
    }
    assertThat(reply.get("first").asLong()).isEqualTo(1);
    assertThat(reply.get("last").asLong()).isEqualTo(pieces.size());
    assertThat(api.build(id).get("lineCount").asLong()).isEqualTo(pieces.size());
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private HttpResponse<String> createWithKey(String project, String key) {
    return createWithBody(key, Api.write(Map.of("project", project)));
  }

  private HttpResponse<String> createWithBody(String key, String body) {
    return api.send(
        api.request("/api/builds")
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpResponse<String> postTextBytes(String path, byte[] body) {
    return api.send(
        api.request(path)
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  private List<String> rawLog(long id) {
    return rawLog(id, "");
  }

  private List<String> rawLog(long id, String query) {
    HttpResponse<String> r = api.get("/api/builds/" + id + "/log" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String body = r.body();
    if (body.isEmpty()) {
      return List.of();
    }
    assertThat(body).endsWith("\n");
    return List.of(body.substring(0, body.length() - 1).split("\n", -1));
  }

  private static List<Long> ids(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Long> out = new ArrayList<>();
    Api.json(r).forEach(b -> out.add(b.get("id").asLong()));
    return out;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("Content-Type").orElse("");
  }

  static void assertProblem(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
    assertThat(contentType(r)).as("Content-Type").startsWith("application/problem+json");
    JsonNode problem = Api.json(r);
    assertThat(problem.path("type").asText()).as("type").isNotBlank();
    assertThat(problem.path("title").asText()).as("title").isNotBlank();
    assertThat(problem.path("status").asInt()).as("status field").isEqualTo(status);
    assertThat(problem.path("detail").asText()).as("detail").isNotBlank();
  }

  private static String freshProject() {
    return "it/" + UUID.randomUUID().toString().substring(0, 8);
  }
}
