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
 * Which browser origins may call the API and open WebSockets: the server's own origin always, plus
 * the {@code allowedOrigins} setting, a comma-separated list of origins or {@code *} for any. A
 * missing Origin header is allowed, since only browsers send one. The opaque origin {@code null}
 * (sandboxed frames, local files) is never allowed, even with {@code *}: it is shared by every such
 * page, so allowing it would allow all of them.
 *
 * <p>The own origin is that of the {@code publicUrl} setting when it is set, else the request's
 * (scheme and Host header). The Host header is whatever name the browser resolved: a page on an
 * attacker's name that re-resolves to this server (DNS rebinding) sends its own name as both Host
 * and Origin, so only a configured origin tells it apart.
 */
@ApplicationScoped
public class OriginPolicy {

  /** host[:port], the host a name, IPv4 address or bracketed IPv6 address. */
  private static final Pattern AUTHORITY =
      Pattern.compile("(?:[A-Za-z0-9._~-]+|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]+)?");

  private final boolean any;
  private final Set<String> allowed;

  /** The origin of {@code publicUrl}, or null when unset. */
  private final String publicOrigin;

  @Inject
  public OriginPolicy(Config config) {
    this(config.string(Setting.ALLOWED_ORIGINS), config.string(Setting.PUBLIC_URL));
  }

  OriginPolicy(String setting) {
    this(setting, "");
  }

  OriginPolicy(String setting, String publicUrl) {
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
      origins.add(checked(normalize(trimmed), Setting.ALLOWED_ORIGINS, trimmed, "an origin"));
    }
    this.any = anyOrigin;
    this.allowed = Set.copyOf(origins);
    this.publicOrigin = originOf(publicUrl.strip());
  }

  /** For CDI's client proxy only. */
  protected OriginPolicy() {
    this.any = false;
    this.allowed = Set.of();
    this.publicOrigin = null;
  }

  /** Scheme, host and port of the {@code publicUrl} setting; null when it is empty. */
  private static String originOf(String publicUrl) {
    if (publicUrl.isEmpty()) {
      return null;
    }
    int separator = publicUrl.indexOf("://");
    int end = separator < 0 ? -1 : separator + 3;
    while (end >= 0 && end < publicUrl.length() && "/?#".indexOf(publicUrl.charAt(end)) < 0) {
      end++;
    }
    String origin = end < 0 ? null : normalize(publicUrl.substring(0, end));
    return checked(origin, Setting.PUBLIC_URL, publicUrl, "a URL");
  }

  /** {@code origin}, or a refused start when {@code value} of {@code setting} gave none. */
  private static String checked(String origin, Setting setting, String value, String what) {
    if (origin == null) {
      throw new IllegalStateException(
          "Setting "
              + setting.propertyName()
              + ": '"
              + value
              + "' is not "
              + what
              + " like https://ci.example.com");
    }
    return origin;
  }

  /**
   * @param origin the request's Origin header, or null when it has none
   * @param ownOrigin the server's own origin, see {@link #ownOrigin}
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
   * The server's own origin for a request: that of {@code publicUrl} when set, else {@link
   * #requestOrigin}.
   */
  public String ownOrigin(String scheme, String host) {
    return publicOrigin != null ? publicOrigin : requestOrigin(scheme, host);
  }

  /**
   * The origin a request was addressed to, as a browser would write it.
   *
   * @param scheme {@code http} or {@code https} ({@code ws}/{@code wss} are mapped to those)
   * @param host the Host header, {@code host[:port]}
   */
  static String requestOrigin(String scheme, String host) {
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
