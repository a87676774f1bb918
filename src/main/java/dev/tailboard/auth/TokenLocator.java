package dev.tailboard.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the token a request carries: the {@code Authorization: Bearer} header first, then the
 * session cookie, then (only when enabled) the {@code access_token} query parameter.
 */
public final class TokenLocator {

  static final String QUERY_PARAMETER = "access_token";
  private static final String BEARER = "bearer";

  private TokenLocator() {}

  /** Where a token came from; {@code toString} leaves the token out so it cannot be logged. */
  public record Found(String token, Source source) {
    @Override
    public String toString() {
      return "Found[token=redacted, source=" + source + "]";
    }
  }

  public enum Source {
    HEADER,
    COOKIE,
    QUERY
  }

  static Optional<Found> find(ContainerRequestContext request, boolean allowQuery) {
    String bearer = bearer(request.getHeaderString("Authorization"));
    if (bearer != null) {
      return Optional.of(new Found(bearer, Source.HEADER));
    }
    Cookie cookie = request.getCookies().get(SessionCookie.NAME);
    if (cookie != null && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
      return Optional.of(new Found(cookie.getValue(), Source.COOKIE));
    }
    if (allowQuery) {
      String query = request.getUriInfo().getQueryParameters().getFirst(QUERY_PARAMETER);
      if (query != null) {
        return Optional.of(new Found(query, Source.QUERY));
      }
    }
    return Optional.empty();
  }

  /**
   * The same search over a WebSocket handshake's headers and query parameters (header names in any
   * case).
   */
  public static Optional<Found> find(
      Map<String, List<String>> headers, Map<String, List<String>> parameters, boolean allowQuery) {
    String bearer = bearer(header(headers, "Authorization"));
    if (bearer != null) {
      return Optional.of(new Found(bearer, Source.HEADER));
    }
    String cookies = header(headers, "Cookie");
    if (cookies != null) {
      for (String pair : cookies.split(";")) {
        String[] kv = pair.strip().split("=", 2);
        if (kv.length == 2 && kv[0].equals(SessionCookie.NAME) && !kv[1].isEmpty()) {
          return Optional.of(new Found(kv[1], Source.COOKIE));
        }
      }
    }
    List<String> query = parameters.get(QUERY_PARAMETER);
    if (allowQuery && query != null && !query.isEmpty()) {
      return Optional.of(new Found(query.get(0), Source.QUERY));
    }
    return Optional.empty();
  }

  private static String header(Map<String, List<String>> headers, String name) {
    for (var e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  /** The token of a {@code Bearer} authorization, or null for no header or another scheme. */
  private static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String[] parts = authorization.strip().split("\\s+", 2);
    // Other schemes (Basic from a proxy, say) are not ours to judge, so they fall through.
    if (!parts[0].toLowerCase(Locale.ROOT).equals(BEARER)) {
      return null;
    }
    return parts.length == 2 ? parts[1] : "";
  }
}
