package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallerTest {

  private static Caller reader(String... globs) {
    return new Caller("r", true, false, List.of(), List.of(globs));
  }

  @Test
  void singleStarMatchesWithinOneSegment() {
    Caller caller = reader("acme/*");

    assertThat(caller.canRead("acme/web")).isTrue();
    assertThat(caller.canRead("acme/")).isTrue();
    assertThat(caller.canRead("acme/web/api")).isFalse();
    assertThat(caller.canRead("acme")).isFalse();
    assertThat(caller.canRead("other/web")).isFalse();
  }

  @Test
  void doubleStarMatchesAcrossSegments() {
    Caller caller = reader("acme/**");

    assertThat(caller.canRead("acme/web")).isTrue();
    assertThat(caller.canRead("acme/web/api")).isTrue();
    assertThat(caller.canRead("acmeco/web")).isFalse();
  }

  @Test
  void bareStarMatchesEverything() {
    Caller caller = reader("*");

    assertThat(caller.canRead("demo")).isTrue();
    assertThat(caller.canRead("demo/hello")).isTrue();
    assertThat(caller.canRead("a/b/c")).isTrue();
  }

  @Test
  void starInsideASegmentAndLiteralDots() {
    Caller caller = reader("acme/web-*", "lib/v1.0");

    assertThat(caller.canRead("acme/web-ui")).isTrue();
    assertThat(caller.canRead("acme/api")).isFalse();
    assertThat(caller.canRead("lib/v1.0")).isTrue();
    assertThat(caller.canRead("lib/v1x0")).isFalse();
  }

  @Test
  void exactGlobMatchesOnlyThatProject() {
    Caller caller = reader("demo/hello");

    assertThat(caller.canRead("demo/hello")).isTrue();
    assertThat(caller.canRead("demo/hello2")).isFalse();
  }

  @Test
  void publishImpliesReadButNotTheOtherWayRound() {
    Caller caller = new Caller("p", true, false, List.of("acme/*"), List.of("open/*"));

    assertThat(caller.canPublish("acme/web")).isTrue();
    assertThat(caller.canRead("acme/web")).isTrue();
    assertThat(caller.canRead("open/x")).isTrue();
    assertThat(caller.canPublish("open/x")).isFalse();
  }

  @Test
  void adminCanDoEverything() {
    Caller admin = new Caller("root", true, true, List.of(), List.of());

    assertThat(admin.canPublish("any/thing/deep")).isTrue();
    assertThat(admin.canRead("x")).isTrue();
  }

  @Test
  void anonymousHasNoScope() {
    assertThat(Caller.ANONYMOUS.authenticated()).isFalse();
    assertThat(Caller.ANONYMOUS.canRead("demo/hello")).isFalse();
    assertThat(Caller.ANONYMOUS.canPublish("demo/hello")).isFalse();
    assertThat(Caller.ANONYMOUS.getName()).isEqualTo("anonymous");
  }

  @Test
  void nullProjectMatchesNothing() {
    assertThat(reader("**").canRead(null)).isFalse();
  }
}
