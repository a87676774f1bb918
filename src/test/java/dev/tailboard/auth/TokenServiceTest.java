package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

  private static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);

  private final TokenService tokens = new TokenService(SigningKey.of(SECRET));

  @Test
  void mintedTokenVerifiesToItsSubjectAndScope() {
    String token = tokens.mint("ci-bot", "publish:acme/* read:**", Duration.ofHours(1));

    Caller caller = tokens.verify(token);

    assertThat(caller.getName()).isEqualTo("ci-bot");
    assertThat(caller.authenticated()).isTrue();
    assertThat(caller.admin()).isFalse();
    assertThat(caller.publishGlobs()).containsExactly("acme/*");
    assertThat(caller.readGlobs()).containsExactly("**");
  }

  @Test
  void decodeReportsTheExpiryWrittenIntoTheToken() {
    TokenService.Issued issued = tokens.issue("ada", "admin", Duration.ofDays(2));

    TokenService.Verified verified = tokens.decode(issued.token());

    assertThat(verified.expiresAt()).isEqualTo(issued.expiresAt());
    assertThat(verified.scope()).isEqualTo("admin");
    assertThat(verified.caller().admin()).isTrue();
    assertThat(issued.toString()).doesNotContain(issued.token());
  }

  @Test
  void expiredTokenIsRejected() {
    String token = tokens.mint("ci-bot", "admin", Duration.ofSeconds(-5));

    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("token expired");
  }

  @Test
  void tokenWithPastExpSignedElsewhereIsRejected() throws Exception {
    SignedJWT jwt =
        signed(
            new JWTClaimsSet.Builder()
                .subject("old")
                .claim("scope", "admin")
                .expirationTime(Date.from(Instant.now().minus(1, ChronoUnit.DAYS)))
                .build());

    assertThatThrownBy(() -> tokens.verify(jwt.serialize())).hasMessage("token expired");
  }

  @Test
  void tokenSignedWithAnotherSecretIsRejected() {
    TokenService other =
        new TokenService(
            SigningKey.of(
                "another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8)));
    String token = other.mint("mallory", "admin", Duration.ofHours(1));

    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("bad signature");
  }

  @Test
  void tamperedPayloadIsRejected() {
    String[] honest = tokens.mint("ci-bot", "read:acme/*", Duration.ofHours(1)).split("\\.");
    String[] other = tokens.mint("ci-bot", "admin", Duration.ofHours(1)).split("\\.");
    String spliced = honest[0] + "." + other[1] + "." + honest[2];

    assertThatThrownBy(() -> tokens.verify(spliced)).hasMessage("bad signature");
  }

  @Test
  void unsignedTokenIsRejected() {
    String payload = tokens.mint("ci-bot", "admin", Duration.ofHours(1)).split("\\.")[1];
    // The header {"alg":"none"}: an unsigned JWT must never pass.
    String unsigned = "eyJhbGciOiJub25lIn0." + payload + ".";

    assertThatThrownBy(() -> tokens.verify(unsigned)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void malformedTokensAreRejected() {
    for (String junk : new String[] {"", "   ", "not-a-jwt", "a.b.c", "eyJ.eyJ.sig"}) {
      assertThatThrownBy(() -> tokens.verify(junk))
          .as(junk)
          .isInstanceOf(InvalidTokenException.class)
          .hasMessage("malformed token");
    }
    assertThatThrownBy(() -> tokens.verify(null)).hasMessage("malformed token");
  }

  @Test
  void tokenWithoutExpiryIsRejected() throws Exception {
    SignedJWT jwt =
        signed(new JWTClaimsSet.Builder().subject("forever").claim("scope", "admin").build());

    assertThatThrownBy(() -> tokens.verify(jwt.serialize())).hasMessage("malformed token");
  }

  @Test
  void unknownScopeWordsInASignedTokenAreIgnored() {
    Caller caller = tokens.verify(tokens.mint("x", "read:a/* future:thing", Duration.ofHours(1)));

    assertThat(caller.readGlobs()).containsExactly("a/*");
    assertThat(caller.admin()).isFalse();
  }

  @Test
  void shortKeysAreRefused() {
    assertThatThrownBy(() -> SigningKey.of(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static SignedJWT signed(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(SECRET));
    return jwt;
  }
}
