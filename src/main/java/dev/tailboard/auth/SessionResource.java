package dev.tailboard.auth;

import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /api/session}: a browser trades a pasted token for the HttpOnly session cookie, so page
 * scripts never hold the token afterwards; {@code DELETE} logs out.
 */
@Path("/session")
@RequestScoped
public class SessionResource {

  private final TokenService tokens;

  @Inject
  public SessionResource(TokenService tokens) {
    this.tokens = tokens;
  }

  /**
   * For CDI's client proxy only; public because RESTEasy (WildFly, Open Liberty) refuses a resource
   * or provider class without a public constructor it could call itself.
   */
  public SessionResource() {
    this(null);
  }

  /** The request body. */
  public record SessionRequest(String token) {
    @Override
    public String toString() {
      return "SessionRequest[token=redacted]";
    }
  }

  /** The response body; {@code expiresAt} is ISO-8601. */
  public record SessionResponse(String sub, String scope, String expiresAt) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response create(SessionRequest body, @Context SecurityContext sc) {
    if (body == null || body.token() == null || body.token().isBlank()) {
      throw ProblemException.badRequest("A JSON body {token} is required");
    }
    String token = body.token().strip();
    TokenService.Verified verified;
    try {
      verified = tokens.decode(token);
    } catch (InvalidTokenException e) {
      throw ProblemException.unauthorized(e.getMessage());
    }
    long maxAge = Duration.between(Instant.now(), verified.expiresAt()).toSeconds();
    return Response.ok(
            new SessionResponse(
                verified.caller().name(), verified.scope(), verified.expiresAt().toString()))
        .header(HttpHeaders.SET_COOKIE, SessionCookie.set(token, maxAge, sc.isSecure()))
        .cacheControl(TokenResource.noStore())
        .build();
  }

  @DELETE
  public Response delete(@Context SecurityContext sc) {
    return Response.noContent()
        .header(HttpHeaders.SET_COOKIE, SessionCookie.clear(sc.isSecure()))
        .build();
  }
}
