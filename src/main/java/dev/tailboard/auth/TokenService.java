package dev.tailboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tailboard.config.Config;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints and verifies the HS256 JWTs that carry a {@link Caller}'s subject and scope. */
@ApplicationScoped
public class TokenService {

  static final String SCOPE_CLAIM = "scope";

  private final SigningKey key;
  private final MACSigner signer;
  private final MACVerifier verifier;

  @Inject
  public TokenService(Config config) {
    this(SigningKey.load(config));
  }

  TokenService(SigningKey key) {
    this.key = key;
    try {
      this.signer = new MACSigner(key.bytes());
      this.verifier = new MACVerifier(key.bytes());
    } catch (JOSEException e) {
      throw new IllegalStateException("Unusable signing key", e);
    }
  }

  /** For CDI's client proxy only. */
  protected TokenService() {
    this.key = null;
    this.signer = null;
    this.verifier = null;
  }

  /**
   * A key for another purpose derived from the signing key (HMAC-SHA256 of {@code label}): every
   * node that shares the signing secret derives the same one, and it reveals nothing of the key.
   */
  byte[] derivedKey(String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  public String mint(String subject, String scope, Duration ttl) {
    return issue(subject, scope, ttl).token();
  }

  /** Like {@link #mint} but also tells when the token expires, as written into it. */
  public Issued issue(String subject, String scope, Duration ttl) {
    // JWT times are whole seconds; truncating here makes expiresAt match what verify reads back.
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = now.plus(ttl);
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(subject)
            .claim(SCOPE_CLAIM, scope)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(expiresAt))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("Cannot sign a token", e);
    }
    return new Issued(jwt.serialize(), expiresAt);
  }

  /**
   * @throws InvalidTokenException with a message fit for a 401 detail: "token expired", "bad
   *     signature", "malformed token"
   */
  public Caller verify(String token) {
    return decode(token).caller();
  }

  /** Like {@link #verify} but also returns the scope text and expiry, for the session endpoint. */
  public Verified decode(String token) {
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException("malformed token");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token.strip());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException("malformed token", e);
    }
    // Only our own algorithm: accepting whatever the header names invites alg-confusion attacks.
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !signatureValid(jwt)) {
      throw new InvalidTokenException("bad signature");
    }
    Date expiry = claims.getExpirationTime();
    String subject = claims.getSubject();
    String scope;
    try {
      scope = claims.getStringClaim(SCOPE_CLAIM);
    } catch (ParseException e) {
      throw new InvalidTokenException("malformed token", e);
    }
    if (expiry == null || subject == null) {
      throw new InvalidTokenException("malformed token");
    }
    Instant expiresAt = expiry.toInstant();
    if (!Instant.now().isBefore(expiresAt)) {
      throw new InvalidTokenException("token expired");
    }
    Scope parsed = Scope.parseLenient(scope);
    return new Verified(parsed.caller(subject, expiresAt), parsed.text(), expiresAt);
  }

  private boolean signatureValid(SignedJWT jwt) {
    try {
      return jwt.verify(verifier);
    } catch (JOSEException e) {
      return false;
    }
  }

  /** Whether this start generated the signing secret, i.e. the server has never run before. */
  public boolean secretCreated() {
    return key.created();
  }

  /** A freshly minted token. */
  public record Issued(String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "Issued[token=redacted, expiresAt=" + expiresAt + "]";
    }
  }

  /** What a valid token says. */
  public record Verified(Caller caller, String scope, Instant expiresAt) {}
}
