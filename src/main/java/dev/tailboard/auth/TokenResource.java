package dev.tailboard.auth;

import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;

/** {@code POST /api/tokens}: admins mint tokens for CI jobs and people. */
@Path("/tokens")
@RequestScoped
public class TokenResource {

  static final Duration DEFAULT_TTL = Duration.ofDays(30);

  /** Long enough for any real use, short enough that expiry arithmetic cannot overflow. */
  static final Duration MAX_TTL = Duration.ofDays(3650);

  static final int MAX_SUBJECT_LENGTH = 200;

  private final TokenService tokens;
  private final Access access;

  @Inject
  public TokenResource(TokenService tokens, Access access) {
    this.tokens = tokens;
    this.access = access;
  }

  /**
   * For CDI's client proxy only; public because RESTEasy (WildFly, Open Liberty) refuses a resource
   * or provider class without a public constructor it could call itself.
   */
  public TokenResource() {
    this(null, null);
  }

  /** The request body; {@code ttlSeconds} defaults to 30 days. */
  public record TokenRequest(String sub, String scope, Long ttlSeconds) {}

  /** The response body; {@code expiresAt} is ISO-8601. */
  public record TokenResponse(String token, String sub, String scope, String expiresAt) {
    @Override
    public String toString() {
      return "TokenResponse[token=redacted, sub=" + sub + ", scope=" + scope + "]";
    }
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response create(TokenRequest body, @Context SecurityContext sc) {
    access.requireAdmin(sc);
    if (body == null) {
      throw ProblemException.badRequest("A JSON body {sub, scope, ttlSeconds?} is required");
    }
    String subject = subject(body.sub());
    Scope scope;
    try {
      scope = Scope.parseStrict(body.scope());
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest(e.getMessage());
    }
    TokenService.Issued issued = tokens.issue(subject, scope.text(), ttl(body.ttlSeconds()));
    return Response.status(Response.Status.CREATED)
        .cacheControl(noStore())
        .entity(
            new TokenResponse(issued.token(), subject, scope.text(), issued.expiresAt().toString()))
        .build();
  }

  private static String subject(String sub) {
    if (sub == null || sub.isBlank()) {
      throw ProblemException.badRequest("sub must name who the token is for");
    }
    String trimmed = sub.strip();
    if (trimmed.length() > MAX_SUBJECT_LENGTH
        || trimmed.chars().anyMatch(Character::isISOControl)) {
      throw ProblemException.badRequest(
          "sub must be at most " + MAX_SUBJECT_LENGTH + " characters without control characters");
    }
    return trimmed;
  }

  private static Duration ttl(Long ttlSeconds) {
    if (ttlSeconds == null) {
      return DEFAULT_TTL;
    }
    if (ttlSeconds <= 0 || ttlSeconds > MAX_TTL.toSeconds()) {
      throw ProblemException.badRequest("ttlSeconds must be between 1 and " + MAX_TTL.toSeconds());
    }
    return Duration.ofSeconds(ttlSeconds);
  }

  static CacheControl noStore() {
    CacheControl cacheControl = new CacheControl();
    cacheControl.setNoStore(true);
    return cacheControl;
  }
}
