package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.config.Config;
import dev.tailboard.web.ProblemException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AccessTest {

  private static final String ANONYMOUS_READ = "tailboard.auth.anonymousRead";

  private final String saved = System.getProperty(ANONYMOUS_READ);

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(ANONYMOUS_READ);
    } else {
      System.setProperty(ANONYMOUS_READ, saved);
    }
  }

  private static Access access(boolean anonymousRead) {
    System.setProperty(ANONYMOUS_READ, Boolean.toString(anonymousRead));
    return new Access(new Config(name -> null, Map.of()));
  }

  private static CallerSecurityContext as(Caller caller) {
    return new CallerSecurityContext(caller, null);
  }

  private static int status(Runnable check) {
    try {
      check.run();
      return 200;
    } catch (ProblemException e) {
      return e.problem().status();
    }
  }

  private final Caller publisher = new Caller("ci", true, false, List.of("acme/*"), List.of());
  private final Caller admin = new Caller("root", true, true, List.of(), List.of());

  @Test
  void publishNeedsATokenAndTheScope() {
    Access access = access(true);

    assertThat(status(() -> access.requirePublish(as(Caller.ANONYMOUS), "acme/web")))
        .isEqualTo(401);
    assertThat(status(() -> access.requirePublish(as(publisher), "other/web"))).isEqualTo(403);
    assertThat(access.requirePublish(as(publisher), "acme/web")).isSameAs(publisher);
    assertThat(access.requirePublish(as(admin), "other/web")).isSameAs(admin);
  }

  @Test
  void readFollowsTheAnonymousReadSetting() {
    Access open = access(true);
    Access closed = access(false);

    assertThat(status(() -> open.requireRead(as(Caller.ANONYMOUS), "x/y"))).isEqualTo(200);
    assertThat(status(() -> open.requireRead(as(publisher), "x/y"))).isEqualTo(200);
    assertThat(status(() -> closed.requireRead(as(Caller.ANONYMOUS), "x/y"))).isEqualTo(401);
    assertThat(status(() -> closed.requireRead(as(publisher), "x/y"))).isEqualTo(403);
    assertThat(status(() -> closed.requireRead(as(publisher), "acme/y"))).isEqualTo(200);
  }

  @Test
  void adminNeedsTheAdminScope() {
    Access access = access(true);

    assertThat(status(() -> access.requireAdmin(as(Caller.ANONYMOUS)))).isEqualTo(401);
    assertThat(status(() -> access.requireAdmin(as(publisher)))).isEqualTo(403);
    assertThat(access.requireAdmin(as(admin))).isSameAs(admin);
  }

  @Test
  void missingSecurityContextMeansAnonymous() {
    assertThat(access(true).caller(null)).isSameAs(Caller.ANONYMOUS);
  }
}
