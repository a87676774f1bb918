package dev.tailboard.auth;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.support.ProblemException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/**
 * Authenticates every API request: verifies the token {@link TokenLocator} finds and installs a
 * {@link jakarta.ws.rs.core.SecurityContext} whose principal is the {@link Caller} ({@link
 * Caller#ANONYMOUS} when there is no token). A token that is present but invalid or expired is
 * answered with 401 problem+json rather than treated as anonymous, so clients learn their token
 * went bad.
 *
 * <p>One exception: a bad <em>cookie</em> on {@code /session} is ignored, otherwise a browser
 * holding a stale cookie (say after the secret changed) could neither log in again nor log out.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped
public class TokenFilter implements ContainerRequestFilter {

  private final TokenService tokens;
  private final boolean allowQueryToken;

  @Inject
  public TokenFilter(TokenService tokens, Config config) {
    this.tokens = tokens;
    this.allowQueryToken = config.bool(Setting.AUTH_ALLOW_QUERY_TOKEN);
  }

  /**
   * For CDI's client proxy only; public because RESTEasy (WildFly, Open Liberty) refuses a resource
   * or provider class without a public constructor it could call itself.
   */
  public TokenFilter() {
    this.tokens = null;
    this.allowQueryToken = false;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    Caller caller = Caller.ANONYMOUS;
    Optional<TokenLocator.Found> found = TokenLocator.find(request, allowQueryToken);
    if (found.isPresent()) {
      try {
        caller = tokens.verify(found.get().token());
      } catch (InvalidTokenException e) {
        if (!(found.get().source() == TokenLocator.Source.COOKIE && isSessionPath(request))) {
          request.abortWith(unauthorized(e.getMessage()));
          return;
        }
      }
    }
    request.setSecurityContext(new CallerSecurityContext(caller, request.getSecurityContext()));
  }

  private static boolean isSessionPath(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    return path.equals("session") || path.equals("session/");
  }

  private static Response unauthorized(String detail) {
    Response problem = ProblemException.unauthorized(detail).toResponse();
    return Response.fromResponse(problem)
        .header(
            HttpHeaders.WWW_AUTHENTICATE,
            "Bearer error=\"invalid_token\", error_description=\"" + detail + "\"")
        .build();
  }
}
