package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScopeTest {

  @Test
  void strictParseAcceptsTheThreeWordForms() {
    Scope scope = Scope.parseStrict("  read:open/**   admin publish:acme/web-*.v2_x ");

    assertThat(scope.admin()).isTrue();
    assertThat(scope.publishGlobs()).containsExactly("acme/web-*.v2_x");
    assertThat(scope.readGlobs()).containsExactly("open/**");
    assertThat(scope.text()).isEqualTo("admin publish:acme/web-*.v2_x read:open/**");
  }

  @Test
  void strictParseRejectsAnythingElse() {
    for (String bad :
        new String[] {
          "",
          " ",
          "root",
          "read:",
          "publish:",
          "read:acme/$x",
          "write:acme/*",
          "Admin",
          "read:a b:c"
        }) {
      assertThatThrownBy(() -> Scope.parseStrict(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Scope.parseStrict(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lenientParseSkipsUnknownWords() {
    Scope scope = Scope.parseLenient("read:a/* delete:b/* admin?");

    assertThat(scope.readGlobs()).containsExactly("a/*");
    assertThat(scope.admin()).isFalse();
    assertThat(Scope.parseLenient(null).text()).isEmpty();
  }
}
