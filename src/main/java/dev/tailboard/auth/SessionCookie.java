package dev.tailboard.auth;

/**
 * The {@code tailboard_token} cookie that lets browsers authenticate without script access to the
 * token. Written by hand rather than with {@code NewCookie} so the attributes are exactly the ones
 * we mean (no legacy {@code Version}, always {@code SameSite}).
 */
final class SessionCookie {

  static final String NAME = "tailboard_token";

  private SessionCookie() {}

  /** A {@code Set-Cookie} value carrying {@code token} for {@code maxAgeSeconds}. */
  static String set(String token, long maxAgeSeconds, boolean secure) {
    return NAME + "=" + token + attributes(Math.max(0, maxAgeSeconds), secure);
  }

  /** A {@code Set-Cookie} value that makes the browser drop the cookie. */
  static String clear(boolean secure) {
    return NAME + "=" + attributes(0, secure);
  }

  private static String attributes(long maxAgeSeconds, boolean secure) {
    return "; Path=/; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Lax"
        + (secure ? "; Secure" : "");
  }
}
