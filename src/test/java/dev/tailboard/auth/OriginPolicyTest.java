package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OriginPolicyTest {

  private static final String OWN = "http://localhost:8080";

  @Test
  void byDefaultOnlyTheOwnOriginIsAllowed() {
    OriginPolicy policy = new OriginPolicy("");

    assertThat(policy.allows("http://localhost:8080", OWN)).isTrue();
    assertThat(policy.allows("http://LOCALHOST:8080/", OWN)).isTrue();
    assertThat(policy.allows("http://localhost:9090", OWN)).isFalse();
    assertThat(policy.allows("https://localhost:8080", OWN)).isFalse();
    assertThat(policy.allows("https://evil.example", OWN)).isFalse();
  }

  @Test
  void missingOriginIsAllowed() {
    OriginPolicy policy = new OriginPolicy("");

    assertThat(policy.allows(null, OWN)).isTrue();
    assertThat(policy.allows("", OWN)).isTrue();
  }

  @Test
  void listedOriginsAreAllowedBesidesTheOwnOne() {
    OriginPolicy policy = new OriginPolicy(" https://ci.example.com , http://dash.local:3000");

    assertThat(policy.allows("https://ci.example.com", OWN)).isTrue();
    assertThat(policy.allows("https://ci.example.com:443", OWN)).isTrue();
    assertThat(policy.allows("http://dash.local:3000", OWN)).isTrue();
    assertThat(policy.allows(OWN, OWN)).isTrue();
    assertThat(policy.allows("http://ci.example.com", OWN)).isFalse();
    assertThat(policy.allows("https://ci.example.com.evil.io", OWN)).isFalse();
    assertThat(policy.allows("https://evil.example", OWN)).isFalse();
  }

  @Test
  void starAllowsAnyOriginButTheOpaqueOne() {
    OriginPolicy policy = new OriginPolicy("*");

    assertThat(policy.allows("https://anything.example", OWN)).isTrue();
    assertThat(policy.allows("null", OWN)).isFalse();
  }

  @Test
  void garbageOriginsAreRefused() {
    OriginPolicy policy = new OriginPolicy("https://ci.example.com");

    assertThat(policy.allows("null", OWN)).isFalse();
    assertThat(policy.allows("file://", OWN)).isFalse();
    assertThat(policy.allows("https://ci.example.com/path", OWN)).isFalse();
    assertThat(policy.allows("https://user@ci.example.com", OWN)).isFalse();
  }

  @Test
  void withoutPublicUrlOwnOriginComesFromSchemeAndHostHeader() {
    OriginPolicy policy = new OriginPolicy("");

    assertThat(policy.ownOrigin("https", "ci.example.com")).isEqualTo("https://ci.example.com");
    assertThat(policy.ownOrigin("wss", "ci.example.com:8443"))
        .isEqualTo("https://ci.example.com:8443");
    assertThat(new OriginPolicy("").allows("https://ci.example.com", "https://ci.example.com:443"))
        .isTrue();
    assertThat(new OriginPolicy("").allows("http://tb_web:8080", "http://tb_web:8080")).isTrue();
    assertThat(new OriginPolicy("").allows("http://[::1]:8080", "http://[::1]:8080")).isTrue();
  }

  @Test
  void withPublicUrlOwnOriginIsItsOriginWhateverTheHostHeader() {
    OriginPolicy policy = new OriginPolicy("", " HTTPS://CI.example.com:443/tailboard/?x#y ");
    // DNS rebinding: the attacker's name resolves to this server, so Host and Origin agree
    String rebound = policy.ownOrigin("http", "evil.example:8080");

    assertThat(rebound).isEqualTo("https://ci.example.com");
    assertThat(policy.allows("http://evil.example:8080", rebound)).isFalse();
    assertThat(policy.allows("https://ci.example.com", rebound)).isTrue();
    assertThat(new OriginPolicy("", "http://tb_web:8080").ownOrigin("http", "localhost:8080"))
        .isEqualTo("http://tb_web:8080");
  }

  @Test
  void misconfiguredPublicUrlFailsTheStart() {
    assertThatThrownBy(() -> new OriginPolicy("", "ci.example.com/tailboard"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tailboard.publicUrl");
    assertThatThrownBy(() -> new OriginPolicy("", "ftp://ci.example.com"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void sameOriginNeedsNoCorsHeaders() {
    assertThat(OriginPolicy.sameOrigin("http://localhost:8080", OWN)).isTrue();
    assertThat(OriginPolicy.sameOrigin("https://ci.example.com", OWN)).isFalse();
  }

  @Test
  void misconfiguredEntryFailsTheStart() {
    assertThatThrownBy(() -> new OriginPolicy("ci.example.com"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tailboard.allowedOrigins");
  }
}
