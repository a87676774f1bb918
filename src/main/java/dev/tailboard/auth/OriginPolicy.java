package dev.tailboard.auth;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which browser origins may call the API and open WebSockets: the request's own origin always, plus
 * the {@code allowedOrigins} setting, a comma-separated list of origins or {@code *} for any. A
 * missing Origin header is allowed, since only browsers send one. The opaque origin {@code null}
 * (sandboxed frames, local files) is never allowed, even with {@code *}: it is shared by every such
 * page, so allowing it would allow all of them.
 */
@ApplicationScoped
public class OriginPolicy {

  /** host[:port], the host a name, IPv4 address or bracketed IPv6 address. */
  private static final Pattern AUTHORITY =
      Pattern.compile("(?:[A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]+)?");

  private final boolean any;
  private final Set<String> allowed;

  @Inject
  public OriginPolicy(Config config) {
    this(config.string(Setting.ALLOWED_ORIGINS));
  }

  OriginPolicy(String setting) {
    boolean anyOrigin = false;
    Set<String> origins = new HashSet<>();
    for (String entry : setting.split(",")) {
      String trimmed = entry.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.equals("*")) {
        anyOrigin = true;
        continue;
      }
      String origin = normalize(trimmed);
      if (origin == null) {
        throw new IllegalStateException(
            "Setting "
                + Setting.ALLOWED_ORIGINS.propertyName()
                + ": '"
                + trimmed
                + "' is not an origin like https://ci.example.com");
      }
      origins.add(origin);
    }
    this.any = anyOrigin;
    this.allowed = Set.copyOf(origins);
  }

  /** For CDI's client proxy only. */
  protected OriginPolicy() {
    this.any = false;
    this.allowed = Set.of();
  }

  /**
   * @param origin the request's Origin header, or null when it has none
   * @param ownOrigin the origin the request was addressed to, see {@link #ownOrigin}
   */
  public boolean allows(String origin, String ownOrigin) {
    if (origin == null || origin.isBlank()) {
      return true;
    }
    String normalized = normalize(origin.strip());
    if (normalized == null) {
      return false;
    }
    return normalized.equals(normalize(ownOrigin)) || any || allowed.contains(normalized);
  }

  /** Whether {@code origin} is the request's own origin, i.e. needs no CORS headers. */
  public static boolean sameOrigin(String origin, String ownOrigin) {
    String normalized = normalize(origin);
    return normalized != null && normalized.equals(normalize(ownOrigin));
  }

  /**
   * The origin a request was addressed to, as a browser would write it.
   *
   * @param scheme {@code http} or {@code https} ({@code ws}/{@code wss} are mapped to those)
   * @param host the Host header, {@code host[:port]}
   */
  public static String ownOrigin(String scheme, String host) {
    String httpScheme =
        switch (scheme.toLowerCase(Locale.ROOT)) {
          case "ws" -> "http";
          case "wss" -> "https";
          default -> scheme.toLowerCase(Locale.ROOT);
        };
    return httpScheme + "://" + host;
  }

  /**
   * Lower-cased scheme and host, default port dropped, so {@code HTTPS://CI.example.com:443} equals
   * {@code https://ci.example.com}; null for anything that is not an http(s) origin.
   */
  static String normalize(String origin) {
    if (origin == null) {
      return null;
    }
    int separator = origin.indexOf("://");
    if (separator < 0) {
      return null;
    }
    String scheme = origin.substring(0, separator).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return null;
    }
    String authority = origin.substring(separator + 3);
    if (authority.endsWith("/")) {
      authority = authority.substring(0, authority.length() - 1);
    }
    // Parsed by hand rather than with java.net.URI, which rejects host names with underscores
    // that Docker and some intranets use.
    if (authority.isEmpty() || !AUTHORITY.matcher(authority).matches()) {
      return null;
    }
    String host = authority;
    String port = "";
    int colon = authority.lastIndexOf(':');
    if (colon > authority.lastIndexOf(']')) {
      host = authority.substring(0, colon);
      port = authority.substring(colon + 1);
    }
    if (host.isEmpty() || port.length() > 5) {
      return null;
    }
    boolean defaultPort =
        port.isEmpty()
            || (scheme.equals("http") && port.equals("80"))
            || (scheme.equals("https") && port.equals("443"));
    return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }
}
