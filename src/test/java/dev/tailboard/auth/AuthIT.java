package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.SseStream;
import java.net.HttpCookie;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Auth (README, HTTP API: tokens and sessions) against the real WAR: who may publish (Bearer header
 * or session cookie, never a query token), scope globs, minting tokens, anonymous reading, and
 * CORS. Every test publishes to builds of its own, in fresh projects.
 */
class AuthIT {

  private static final String OTHER_SECRET = "not-the-server-secret-but-just-as-long-0123456789";

  private final Api publisher = Api.publisher();
  private final Api anonymous = new Api(null);

  // ---------------------------------------------------------------- 401: no usable token

  @Test
  void publishingWithoutATokenIs401AndChangesNothing() {
    long id = publisher.createBuild();
    publisher.append(id, List.of("kept"));

    assertRefusedEverywhere(anonymous, id, 401);
    assertProblem(anonymous.postJson("/api/builds", Map.of("project", freshProject())), 401);
  }

  @Test
  void aTokenWithAnInvalidSignatureIs401() {
    long id = publisher.createBuild();
    publisher.append(id, List.of("kept"));
    Api forged =
        new Api(
            ItServer.sign(
                "mallory",
                "admin publish:** read:**",
                Instant.now().plus(Duration.ofHours(1)),
                OTHER_SECRET));

    assertRefusedEverywhere(forged, id, 401);
    String project = freshProject();
    assertProblem(forged.postJson("/api/builds", Map.of("project", project)), 401);
    assertThat(Api.json(anonymous.get("/api/builds?project=" + project))).isEmpty();
    assertProblem(
        forged.postJson("/api/tokens", Map.of("sub", "mallory", "scope", "publish:**")), 401);

    Api garbage = new Api("not-a-jwt");
    assertProblem(garbage.postJson("/api/builds", Map.of("project", freshProject())), 401);
    // A real token's signature on a payload that claims more than was signed.
    String[] real = ItServer.token("read:**").split("\\.");
    String claims =
        "{\"sub\":\"mallory\",\"scope\":\"admin publish:**\",\"exp\":"
            + Instant.now().plus(Duration.ofHours(1)).getEpochSecond()
            + "}";
    String payload =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Api tampered = new Api(real[0] + "." + payload + "." + real[2]);
    assertProblem(tampered.postJson("/api/builds", Map.of("project", freshProject())), 401);
  }

  @Test
  void anExpiredTokenIs401() {
    long id = publisher.createBuild();
    publisher.append(id, List.of("kept"));
    Api expired =
        new Api(
            ItServer.sign(
                "ci", "publish:** read:**", Instant.now().minus(Duration.ofMinutes(5)), secret()));

    assertRefusedEverywhere(expired, id, 401);
    assertProblem(expired.postJson("/api/builds", Map.of("project", freshProject())), 401);
  }

  // ---------------------------------------------------------------- 403: scope does not cover it

  @Test
  void aReadOnlyTokenMayReadButNotPublish() {
    long id = publisher.createBuild();
    publisher.append(id, List.of("kept"));
    Api reader = new Api(ItServer.token("read:**"));

    assertRefusedEverywhere(reader, id, 403);
    assertProblem(reader.postJson("/api/builds", Map.of("project", freshProject())), 403);
    assertThat(reader.get("/api/builds/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenForAnotherProjectMayNotPublishHere() {
    long id = publisher.createBuild();
    publisher.append(id, List.of("kept"));
    Api other = new Api(ItServer.token("publish:other/*"));

    assertRefusedEverywhere(other, id, 403);
    assertProblem(other.postJson("/api/builds", Map.of("project", freshProject())), 403);
  }

  @Test
  void aProjectGlobCoversItsProjectsAndNoOthers() {
    Api acme = new Api(ItServer.token("publish:acme/*"));
    String suffix = UUID.randomUUID().toString().substring(0, 8);

    HttpResponse<String> created =
        acme.postJson("/api/builds", Map.of("project", "acme/" + suffix));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = Api.json(created).get("id").asLong();
    assertThat(acme.append(id, List.of("hello")).get("first").asLong()).isEqualTo(1);
    acme.status(id, "running");
    acme.status(id, "passed");
    assertThat(publisher.build(id).get("status").asText()).isEqualTo("passed");

    for (String project : List.of("acme2/" + suffix, "acme", "acme/" + suffix + "/nested")) {
      assertProblem(acme.postJson("/api/builds", Map.of("project", project)), 403);
    }
    long foreign = publisher.createBuild("acme2/" + suffix);
    publisher.append(foreign, List.of("kept"));
    assertRefusedEverywhere(acme, foreign, 403);
  }

  // ---------------------------------------------------------------- minting tokens

  @Test
  void anAdminMintsTokensThatWorkAndAreScoped() {
    Api admin = new Api(ItServer.token("admin"));

    HttpResponse<String> minted =
        admin.postJson(
            "/api/tokens",
            Map.of("sub", "ci-runner", "scope", "publish:acme/*", "ttlSeconds", 600));

    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    JsonNode body = Api.json(minted);
    assertThat(body.get("sub").asText()).isEqualTo("ci-runner");
    assertThat(body.get("scope").asText()).isEqualTo("publish:acme/*");
    assertThat(Instant.parse(body.get("expiresAt").asText()))
        .isBetween(Instant.now().plusSeconds(500), Instant.now().plusSeconds(700));
    Api ci = new Api(body.get("token").asText());

    String suffix = UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> ok = ci.postJson("/api/builds", Map.of("project", "acme/" + suffix));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    long id = Api.json(ok).get("id").asLong();
    assertThat(ci.append(id, List.of("from the minted token")).get("last").asLong()).isEqualTo(1);
    assertProblem(ci.postJson("/api/builds", Map.of("project", "acme2/" + suffix)), 403);
    assertProblem(ci.postJson("/api/tokens", Map.of("sub", "escalate", "scope", "admin")), 403);
  }

  @Test
  void mintingTokensNeedsAnAdminToken() {
    Map<String, Object> request = Map.of("sub", "someone", "scope", "publish:**");

    assertProblem(publisher.postJson("/api/tokens", request), 403);
    assertProblem(
        new Api(ItServer.token("read:** publish:**")).postJson("/api/tokens", request), 403);
    assertProblem(anonymous.postJson("/api/tokens", request), 401);

    Api admin = new Api(ItServer.token("admin"));
    assertProblem(admin.postJson("/api/tokens", Map.of("sub", "x", "scope", "root")), 400);
    assertProblem(admin.postJson("/api/tokens", Map.of("scope", "publish:**")), 400);
  }

  // ---------------------------------------------------------------- the session cookie

  @Test
  void aSessionCookieAuthenticatesPublishingAndDeleteClearsIt() {
    String token = ItServer.token("browser-user", "publish:** read:**", Duration.ofHours(1));

    HttpResponse<String> login = anonymous.postJson("/api/session", Map.of("token", token));

    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String setCookie = sessionSetCookie(login).orElseThrow();
    HttpCookie cookie = HttpCookie.parse("Set-Cookie: " + setCookie).get(0);
    assertThat(cookie.getName()).isEqualTo("tailboard_token");
    assertThat(cookie.getValue()).isNotBlank();
    assertThat(cookie.isHttpOnly()).as(setCookie).isTrue();
    assertThat(cookie.hasExpired()).isFalse();
    assertThat(setCookie).containsIgnoringCase("Path=/");

    // What a browser sends back: the cookie only, no Authorization header.
    String cookieHeader = cookie.getName() + "=" + cookie.getValue();
    HttpResponse<String> created =
        anonymous.send(
            anonymous
                .request("/api/builds")
                .header("Cookie", cookieHeader)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Api.write(Map.of("project", freshProject()))))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = Api.json(created).get("id").asLong();
    HttpResponse<String> appended =
        anonymous.send(
            anonymous
                .request("/api/builds/" + id + "/log")
                .header("Cookie", cookieHeader)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("via cookie\n"))
                .build());
    assertThat(appended.statusCode()).as(appended.body()).isEqualTo(200);
    assertThat(anonymous.get("/api/builds/" + id + "/log").body()).isEqualTo("via cookie\n");

    HttpResponse<String> logout =
        anonymous.send(
            anonymous.request("/api/session").header("Cookie", cookieHeader).DELETE().build());
    assertThat(logout.statusCode()).isBetween(200, 204);
    String cleared = sessionSetCookie(logout).orElseThrow();
    HttpCookie gone = HttpCookie.parse("Set-Cookie: " + cleared).get(0);
    assertThat(gone.getName()).isEqualTo("tailboard_token");
    assertThat(gone.getValue()).isEmpty();
    assertThat(gone.hasExpired()).as(cleared).isTrue();
    assertThat(cleared).containsIgnoringCase("Path=/");

    // The browser now holds no cookie: publishing is anonymous again.
    assertProblem(
        anonymous.postJson("/api/builds/" + id + "/log", Map.of("lines", List.of("x"))), 401);
  }

  @Test
  void aSessionCannotBeOpenedWithABadToken() {
    String expired =
        ItServer.sign("ci", "publish:**", Instant.now().minus(Duration.ofMinutes(1)), secret());
    String forged =
        ItServer.sign("ci", "publish:**", Instant.now().plus(Duration.ofHours(1)), OTHER_SECRET);

    for (String bad : List.of(expired, forged, "garbage")) {
      HttpResponse<String> r = anonymous.postJson("/api/session", Map.of("token", bad));
      assertProblem(r, 401);
      assertThat(sessionSetCookie(r)).isEmpty();
    }
  }

  // ---------------------------------------------------------------- reading and query tokens

  @Test
  void anonymousReadingWorks() {
    String project = freshProject();
    long id = publisher.createBuild(project);
    publisher.append(id, List.of("public line"));

    HttpResponse<String> build = anonymous.get("/api/builds/" + id);
    assertThat(build.statusCode()).isEqualTo(200);
    assertThat(Api.json(build).get("project").asText()).isEqualTo(project);
    HttpResponse<String> list = anonymous.get("/api/builds?project=" + project);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(Api.json(list).get(0).get("id").asLong()).isEqualTo(id);
    HttpResponse<String> log = anonymous.get("/api/builds/" + id + "/log");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(log.body()).isEqualTo("public line\n");

    try (SseStream stream = SseStream.open("/api/builds/" + id + "/events")) {
      assertThat(stream.status()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(stream.logLines()).containsExactly("public line"));
    }
  }

  @Test
  void aQueryParameterTokenIsNotAcceptedForPublishing() {
    String project = freshProject();
    long id = publisher.createBuild(project);
    publisher.append(id, List.of("kept"));
    String query = "?access_token=" + ItServer.publisher();

    assertProblem(
        anonymous.postJson("/api/builds" + query, Map.of("project", freshProject())), 401);
    assertProblem(
        anonymous.postJson("/api/builds/" + id + "/log" + query, Map.of("lines", List.of("x"))),
        401);
    assertProblem(anonymous.postText("/api/builds/" + id + "/log" + query, "x\n"), 401);
    assertProblem(
        anonymous.postJson("/api/builds/" + id + "/status" + query, "{\"status\":\"failed\"}"),
        401);

    assertThat(anonymous.get("/api/builds/" + id + "/log").body()).isEqualTo("kept\n");
    assertThat(publisher.build(id).get("status").asText()).isEqualTo("running");
  }

  // ---------------------------------------------------------------- CORS

  @Test
  void aPreflightFromAForeignOriginIsRefused() {
    long id = publisher.createBuild();
    for (String path :
        List.of("/api/builds", "/api/builds/" + id + "/log", "/api/builds/" + id + "/events")) {
      HttpResponse<String> r =
          anonymous.send(
              anonymous
                  .request(path)
                  .header("Origin", "https://evil.example")
                  .header("Access-Control-Request-Method", "POST")
                  .header("Access-Control-Request-Headers", "authorization, content-type")
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .build());
      assertProblem(r, 403);
      assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
      assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }
  }

  @Test
  void aSameOriginPreflightAndRequestAreFine() {
    String own = ItServer.baseUrl();

    HttpResponse<String> preflight =
        anonymous.send(
            anonymous
                .request("/api/builds")
                .header("Origin", own)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(preflight.statusCode()).isBetween(200, 204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");

    HttpResponse<String> created =
        publisher.send(
            publisher
                .request("/api/builds")
                .header("Origin", own)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        Api.write(Map.of("project", freshProject()))))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = Api.json(created).get("id").asLong();
    HttpResponse<String> read =
        anonymous.send(anonymous.request("/api/builds/" + id).header("Origin", own).GET().build());
    assertThat(read.statusCode()).isEqualTo(200);
  }

  @Test
  void responsesToAForeignOriginAreNotMadeReadableByTheBrowser() {
    long id = publisher.createBuild();

    HttpResponse<String> r =
        anonymous.send(
            anonymous
                .request("/api/builds/" + id)
                .header("Origin", "https://evil.example")
                .GET()
                .build());

    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  /** Every publishing call on an existing build is refused with {@code status}; nothing changes. */
  private void assertRefusedEverywhere(Api caller, long id, int status) {
    String path = "/api/builds/" + id;
    JsonNode before = publisher.build(id);
    String logBefore = publisher.get(path + "/log").body();

    assertProblem(caller.postJson(path + "/log", Map.of("lines", List.of("intruder"))), status);
    assertProblem(
        caller.postJson(path + "/log?seq=1", Map.of("lines", List.of("intruder"))), status);
    assertProblem(caller.postText(path + "/log", "intruder\n"), status);
    assertProblem(
        caller.send(
            caller
                .request(path + "/log")
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("intruder\n"))
                .build()),
        status);
    assertProblem(
        caller.postJson(path + "/steps", "{\"name\":\"intruder\",\"status\":\"running\"}"), status);
    assertProblem(caller.postJson(path + "/status", "{\"status\":\"failed\"}"), status);

    assertThat(publisher.build(id)).isEqualTo(before);
    assertThat(publisher.get(path + "/log").body()).isEqualTo(logBefore);
  }

  private static Optional<String> sessionSetCookie(HttpResponse<?> r) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(h -> h.startsWith("tailboard_token="))
        .findFirst();
  }

  private static void assertProblem(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .as("Content-Type")
        .startsWith("application/problem+json");
    JsonNode problem = Api.json(r);
    assertThat(problem.path("type").asText()).as("type").isNotBlank();
    assertThat(problem.path("title").asText()).as("title").isNotBlank();
    assertThat(problem.path("status").asInt()).as("status field").isEqualTo(status);
    assertThat(problem.path("detail").asText()).as("detail").isNotBlank();
  }

  private static String secret() {
    return ItServer.secret();
  }

  private static String freshProject() {
    return "it/" + UUID.randomUUID().toString().substring(0, 8);
  }
}
