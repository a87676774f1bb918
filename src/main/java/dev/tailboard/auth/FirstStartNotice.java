package dev.tailboard.auth;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * On the very first start (the signing secret was just generated) logs an admin token and a snippet
 * that publishes a demo build. This is the one place a token is logged, deliberately: a fresh
 * server has no other way to hand its operator a first credential.
 */
@ApplicationScoped
public class FirstStartNotice {

  private static final Logger LOG = Logger.getLogger(FirstStartNotice.class.getName());

  static final Duration ADMIN_TTL = Duration.ofDays(365);

  void onStart(
      @Observes @Initialized(ApplicationScoped.class) Object event,
      TokenService tokens,
      Config config) {
    // Asking also loads the key, so a broken secret setting fails the deploy, not a request.
    if (!tokens.secretCreated()) {
      return;
    }
    String token = tokens.mint("admin", "admin", ADMIN_TTL);
    LOG.info(message(baseUrl(config), token, config.dataDir().resolve("secret").toString()));
  }

  static String message(String baseUrl, String token, String secretPath) {
    return """
        First start: generated the signing secret %s.
        Admin token (scope "admin", valid %d days), keep it safe:

          %s

        To publish a demo build, paste into a shell:

        %s
        Its live events: %s
        """
        .formatted(
            secretPath,
            ADMIN_TTL.toDays(),
            token,
            DemoSnippet.text(baseUrl, token),
            DemoSnippet.followLine(baseUrl));
  }

  /** The server's address as a user should type it: {@code public.url}, else localhost. */
  public static String baseUrl(Config config) {
    String publicUrl = config.string(Setting.PUBLIC_URL).strip();
    if (!publicUrl.isEmpty()) {
      return publicUrl.replaceAll("/+$", "");
    }
    return "http://localhost:" + System.getProperty("jetty.http.port", "8080");
  }
}
