package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.config.Config;
import dev.tailboard.support.ProblemException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AccessTest {

  private static final String ANONYMOUS_READ = "tailboard.auth.anonymousRead";

  private static final String ANONYMOUS_ROOMS = "tailboard.auth.anonymousRooms";

  private final String saved = System.getProperty(ANONYMOUS_READ);
  private final String savedRooms = System.getProperty(ANONYMOUS_ROOMS);

  @AfterEach
  void restore() {
    restore(ANONYMOUS_READ, saved);
    restore(ANONYMOUS_ROOMS, savedRooms);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
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
  void writingInARoomNeedsAValidTokenWithReadOnTheBuildsProject() {
    Access access = access(true);
    Caller reader = new Caller("ana", true, false, List.of(), List.of("acme/*"));

    assertThat(access.mayWriteInRoom(Caller.ANONYMOUS, "acme/web")).isFalse();
    assertThat(access.mayWriteInRoom(Caller.ANONYMOUS, null)).isFalse();
    assertThat(access.mayWriteInRoom(reader, "acme/web")).isTrue();
    assertThat(access.mayWriteInRoom(reader, "other/web")).isFalse();
    assertThat(access.mayWriteInRoom(reader, null)).isTrue();
    assertThat(access.mayWriteInRoom(publisher, "acme/web")).isTrue();
    assertThat(access.mayWriteInRoom(admin, "other/web")).isTrue();

    System.setProperty(ANONYMOUS_ROOMS, "true");
    Access anonymousRooms = new Access(new Config(name -> null, Map.of()));
    assertThat(anonymousRooms.mayWriteInRoom(Caller.ANONYMOUS, "acme/web")).isTrue();
    assertThat(anonymousRooms.mayWriteInRoom(Caller.ANONYMOUS, null)).isTrue();
  }

  @Test
  void missingSecurityContextMeansAnonymous() {
    assertThat(access(true).caller(null)).isSameAs(Caller.ANONYMOUS);
  }
}
