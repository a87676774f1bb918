package dev.tailboard.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The Tailboard WAR the build started in Jetty for the integration tests (see the pom), and tokens
 * signed with the secret it was given.
 */
public final class ItServer {

  private ItServer() {}

  private static volatile boolean up;

  /** The server's base URL; the first call waits until the forked server answers its health. */
  public static String baseUrl() {
    String base = System.getProperty("tailboard.it.baseUrl", "http://127.0.0.1:8080");
    if (!up) {
      awaitHealthy(base);
      up = true;
    }
    return base;
  }

  private static void awaitHealthy(String base) {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest health =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/health")).build();
    org.awaitility.Awaitility.await("Tailboard at " + base)
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () ->
                http.send(health, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()
                    == 200);
  }

  public static String secret() {
    return System.getProperty("tailboard.it.secret", "integration-test-secret-0123456789abcdef");
  }

  /** A token with the given scope, valid for an hour. */
  public static String token(String scope) {
    return token("tester", scope, Duration.ofHours(1));
  }

  public static String token(String subject, String scope, Duration ttl) {
    return sign(subject, scope, Instant.now().plus(ttl), secret());
  }

  public static String sign(String subject, String scope, Instant expiry, String secret) {
    try {
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .subject(subject)
              .claim("scope", scope)
              .expirationTime(Date.from(expiry))
              .build();
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token that may publish to and read every project. */
  public static String publisher() {
    return token("publish:** read:**");
  }
}
