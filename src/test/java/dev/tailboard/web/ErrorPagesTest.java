package dev.tailboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.support.Problem;
import org.junit.jupiter.api.Test;

class ErrorPagesTest {

  @Test
  void aContainerErrorBecomesAProblemOfItsStatusWithAFixedDetail() {
    Problem p = ErrorPages.problem(408);
    assertThat(p.status()).isEqualTo(408);
    assertThat(p.type()).isEqualTo("https://tailboard.dev/problems/408");
    assertThat(p.title()).isEqualTo("Request Timeout");
    assertThat(p.detail()).isNotBlank();
    assertThat(ErrorPages.problem(431).title()).isEqualTo("Request Header Fields Too Large");
  }

  @Test
  void aStatusThatIsNoErrorCountsAsAServerFailure() {
    assertThat(ErrorPages.problem(200).status()).isEqualTo(500);
    assertThat(ErrorPages.problem(599).detail()).isEqualTo("The server failed; see its log.");
  }

  @Test
  void theApiIsEverythingUnderApiInsideTheContextPath() {
    assertThat(ErrorPages.isApi("/api/builds/%zz", "")).isTrue();
    assertThat(ErrorPages.isApi("/api", "")).isTrue();
    assertThat(ErrorPages.isApi("/tb/api/builds", "/tb")).isTrue();
    assertThat(ErrorPages.isApi("/apis", "")).isFalse();
    assertThat(ErrorPages.isApi("/builds/1", "")).isFalse();
    assertThat(ErrorPages.isApi("/api/x", "/tb")).isFalse();
    assertThat(ErrorPages.isApi(null, "")).isFalse();
  }
}
