package dev.tailboard.builds;

import static dev.tailboard.builds.BuildApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ChunkedUpload;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.SseStream;
import dev.tailboard.testing.WarServer;
import dev.tailboard.testing.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret masking over real sockets: a value registered by {@code ::add-mask::}, by {@code POST
 * /masks} (also after it was printed) or server-wide never comes back from the raw log, a replay, a
 * long-poll or a search, and an open stream is told to fetch the masked lines again.
 */
class MaskingIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final Api api = Api.publisher();

  private static String secret() {
    return "s3cr3t-" + UUID.randomUUID().toString().substring(0, 12);
  }

  private String masks(long id) {
    return "/api/builds/" + id + "/masks";
  }

  /** Everything a reader can get of the build's log, as one text. */
  private String everythingReadable(long id, String search) {
    String base = "/api/builds/" + id;
    String q = URLEncoder.encode(search, StandardCharsets.UTF_8);
    return String.join(
        "\n",
        api.get(base + "/log").body(),
        api.get(base + "/poll?after=0&wait=0").body(),
        api.get(base + "/log/search?q=" + q).body(),
        api.get(base + "/log/search?q=" + URLEncoder.encode("***", StandardCharsets.UTF_8)).body());
  }

  private static List<String> replayLines(long id) {
    try (SseStream replay = SseStream.open("/api/builds/" + id + "/events")) {
      await().atMost(WAIT).until(() -> replay.has("status", "passed"));
      return replay.logLines();
    }
  }

  @Test
  void aValueRegisteredLateVanishesFromTheStoreAndAnOpenStreamIsToldToRefetch() {
    String secret = secret();
    long id = api.createBuild();
    api.append(id, List.of("before", "token=" + secret + " was echoed", "after"));
    api.append(id, List.of("b64 " + Base64.getEncoder().encodeToString(("x" + secret).getBytes())));
    try (SseStream open = SseStream.open("/api/builds/" + id + "/events")) {
      await().atMost(WAIT).until(() -> open.logLines().size() == 4);
      assertThat(open.logLines().get(1)).contains(secret); // it was on screen

      var reply = api.postJson(masks(id), Map.of("values", List.of(secret)));

      assertThat(reply.statusCode()).isEqualTo(200);
      assertThat(Api.json(reply).get("registered").asInt()).isEqualTo(1);
      await().atMost(WAIT).until(() -> !open.of("mask").isEmpty());
      JsonNode mask = open.of("mask").get(0).json();
      // the events the value was in: lines 1-3 (one chunk) and 4
      assertThat(mask.get("first").asLong()).isEqualTo(1);
      assertThat(mask.get("last").asLong()).isEqualTo(4);
    }
    api.append(id, List.of("again " + secret));
    api.status(id, "passed");

    assertThat(everythingReadable(id, secret)).doesNotContain(secret).contains("token=*** was");
    List<String> replay = replayLines(id);
    assertThat(replay).hasSize(5).noneMatch(l -> l.contains(secret));
    assertThat(replay.get(1)).isEqualTo("token=*** was echoed");
    // the characters at the ends also encode the bytes around the value: they stay
    assertThat(replay.get(3)).matches("b64 [A-Za-z0-9+/]{0,3}\\*\\*\\*[A-Za-z0-9+/]{0,3}=*");
    assertThat(replay.get(4)).isEqualTo("again ***");
  }

  @Test
  void anAddMaskLineRegistersItsValueAndIsKeptWithoutIt() {
    String secret = secret();
    long id = api.createBuild();
    api.append(id, List.of("early " + secret, "::add-mask::" + secret, "late " + secret));
    api.append(id, List.of("next chunk " + secret));
    api.status(id, "passed");

    assertThat(replayLines(id))
        .containsExactly("early ***", "::add-mask::***", "late ***", "next chunk ***");
    assertThat(everythingReadable(id, secret)).doesNotContain(secret);
  }

  @Test
  void aValueSplitAcrossTheReadsOfAStreamedBodyIsMasked() throws Exception {
    String secret = secret();
    long id = api.createBuild();
    api.postJson(masks(id), Map.of("values", List.of(secret)));
    String token = ItServer.token("publish:**");
    try (ChunkedUpload upload = new ChunkedUpload("/api/builds/" + id + "/log", token)) {
      upload.write("one\nkey ");
      for (char c : secret.toCharArray()) {
        upload.write(String.valueOf(c)); // a read of its own for every character
      }
      upload.write(" done\nthree ");
      upload.write(secret.substring(0, 5));
      upload.write(secret.substring(5) + "\n");
      assertThat(upload.finish()).startsWith("HTTP/1.1 200");
    }
    api.status(id, "passed");

    assertThat(replayLines(id)).containsExactly("one", "key *** done", "three ***");
    assertThat(everythingReadable(id, secret)).doesNotContain(secret);
  }

  @Test
  void aLineTooLongToHoldIsNeverCutInsideAValue() throws Exception {
    String secret = secret();
    long id = api.createBuild();
    api.postJson(masks(id), Map.of("values", List.of(secret)));
    // the reader hands a streamed line on in pieces of about 1 MiB characters: the value sits
    // across the first place it would cut
    int cut = 1 << 20;
    String line = "x".repeat(cut - secret.length() / 2) + secret + "y".repeat(1000);
    String token = ItServer.token("publish:**");
    try (ChunkedUpload upload = new ChunkedUpload("/api/builds/" + id + "/log", token)) {
      for (int at = 0; at < line.length(); at += 65536) {
        upload.write(line.substring(at, Math.min(line.length(), at + 65536)));
      }
      upload.write("\nend\n");
      assertThat(upload.finish()).startsWith("HTTP/1.1 200");
    }

    String raw = api.get("/api/builds/" + id + "/log").body();
    assertThat(raw).doesNotContain(secret).contains("***").endsWith("end\n");
    assertThat(raw.replace("\n", "")).doesNotContain(secret);
  }

  @Test
  void shortValuesAreRefusedAndNothingIsRegistered() {
    long id = api.createBuild();

    assertProblem(api.postJson(masks(id), Map.of("values", List.of("abc"))), 400);
    assertProblem(api.postJson(masks(id), Map.of("values", List.of())), 400);
    assertProblem(api.postJson(masks(id), "{\"values\": [\"good-value\", null]}"), 400);
    assertProblem(
        new Api(ItServer.token("read:**")).postJson(masks(id), Map.of("values", List.of("abcd"))),
        403);

    api.append(id, List.of("abc good-value abcd"));
    api.status(id, "passed");
    assertThat(replayLines(id)).containsExactly("abc good-value abcd");
  }

  @Test
  void aBuildRoomsChatAndNotesAreMaskedWithTheBuildsValues() {
    String secret = secret();
    long id = api.createBuild();
    api.postJson(masks(id), Map.of("values", List.of(secret)));
    try (WsClient ana = WsClient.connectAs("build-" + id, "ana");
        WsClient bob = WsClient.connectAs("build-" + id, "bob")) {
      ana.send(Map.of("type", "hello"));
      bob.send(Map.of("type", "hello"));
      await()
          .atMost(WAIT)
          .until(() -> !ana.of("welcome").isEmpty() && !bob.of("welcome").isEmpty());

      ana.send(Map.of("type", "chat", "id", "c1", "text", "my key is " + secret));
      await().atMost(WAIT).until(() -> !bob.of("chat").isEmpty());
      assertThat(bob.of("chat").get(0).get("text").asText()).isEqualTo("my key is ***");

      ana.send(WsClient.notesPush("ana", 0, List.of(List.of(0, "note " + secret))));
      await()
          .atMost(WAIT)
          .until(() -> ana.has("error", e -> "masked".equals(e.path("code").asText())));
      assertThat(ana.of("doc.snapshot")).isNotEmpty();
      ana.send(WsClient.notesPush("ana", 0, List.of(List.of(0, "a harmless note"))));
      await().atMost(WAIT).until(() -> !bob.of("doc.updates").isEmpty());
      assertThat(bob.frames.toString()).doesNotContain(secret);
    }
  }

  @Test
  void serverWideValuesFromMasksFileAreMaskedInEveryBuild(@TempDir Path dir) throws Exception {
    String secret = secret();
    Path file = dir.resolve("masks.txt");
    Files.writeString(file, "# not a comment: a value\n" + secret + "\n\n");
    try (WarServer server = WarServer.start(Map.of("tailboard.masks.file", file.toString()))) {
      Api other = new Api(server.baseUrl(), ItServer.publisher());
      long id = other.createBuild();
      other.append(id, List.of("deploying with " + secret));

      assertThat(other.get("/api/builds/" + id + "/log").body()).isEqualTo("deploying with ***\n");
    }
  }
}
