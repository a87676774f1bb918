package dev.tailboard.auth;

import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;
import java.util.List;

/**
 * CORS for the API, following {@link OriginPolicy}: answers preflights itself (204 for allowed
 * origins, 403 problem+json for foreign ones) and marks responses to allowed cross-origin requests
 * as readable, with credentials so the session cookie works.
 */
@Provider
@PreMatching
@ApplicationScoped
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

  static final String ALLOW_METHODS = "GET, POST, PUT, DELETE, OPTIONS";
  static final String ALLOW_HEADERS = "Authorization, Content-Type, Last-Event-ID, Idempotency-Key";
  private static final String MAX_AGE_SECONDS = "600";

  private final OriginPolicy policy;

  @Inject
  public CorsFilter(OriginPolicy policy) {
    this.policy = policy;
  }

  /**
   * For CDI's client proxy only; public because RESTEasy (WildFly, Open Liberty) refuses a resource
   * or provider class without a public constructor it could call itself.
   */
  public CorsFilter() {
    this.policy = null;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String origin = request.getHeaderString("Origin");
    if (!isPreflight(request)) {
      // A browser sends a "simple" cross-site POST with cookies and no preflight: refuse
      // changes from foreign origins outright (cross-site request forgery).
      if (isUnsafe(request.getMethod()) && !policy.allows(origin, ownOrigin(request))) {
        request.abortWith(
            ProblemException.forbidden("Origin " + origin + " may not change anything here")
                .toResponse());
      }
      return;
    }
    if (!policy.allows(origin, ownOrigin(request))) {
      request.abortWith(
          ProblemException.forbidden("Origin " + origin + " may not call this API").toResponse());
      return;
    }
    Response.ResponseBuilder answer =
        Response.noContent()
            .header("Access-Control-Allow-Methods", ALLOW_METHODS)
            .header("Access-Control-Allow-Headers", ALLOW_HEADERS)
            .header("Access-Control-Max-Age", MAX_AGE_SECONDS)
            .header("Vary", "Origin");
    if (origin != null) {
      answer
          .header("Access-Control-Allow-Origin", origin)
          .header("Access-Control-Allow-Credentials", "true");
    }
    request.abortWith(answer.build());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    MultivaluedMap<String, Object> headers = response.getHeaders();
    // Every response depends on Origin (CORS headers or not), so shared caches must key on it.
    addVaryOrigin(headers);
    String origin = request.getHeaderString("Origin");
    if (origin == null || isPreflight(request)) {
      return;
    }
    String own = ownOrigin(request);
    if (!OriginPolicy.sameOrigin(origin, own) && policy.allows(origin, own)) {
      headers.putSingle("Access-Control-Allow-Origin", origin);
      headers.putSingle("Access-Control-Allow-Credentials", "true");
    }
  }

  private static boolean isUnsafe(String method) {
    return !"GET".equals(method) && !"HEAD".equals(method) && !"OPTIONS".equals(method);
  }

  private static boolean isPreflight(ContainerRequestContext request) {
    return "OPTIONS".equals(request.getMethod())
        && request.getHeaderString("Access-Control-Request-Method") != null;
  }

  private static void addVaryOrigin(MultivaluedMap<String, Object> headers) {
    for (Object vary : headers.getOrDefault("Vary", List.of())) {
      for (String name : String.valueOf(vary).split(",")) {
        if (name.strip().equalsIgnoreCase("Origin") || name.strip().equals("*")) {
          return;
        }
      }
    }
    headers.add("Vary", "Origin");
  }

  private String ownOrigin(ContainerRequestContext request) {
    URI uri = request.getUriInfo().getRequestUri();
    String host = request.getHeaderString("Host");
    if (host == null || host.isBlank()) {
      host = uri.getRawAuthority();
    }
    return policy.ownOrigin(uri.getScheme(), host.strip());
  }
}
