package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tailboard.store.Build;
import dev.tailboard.support.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How much of an append fits under {@code log.maxLinesPerBuild} and {@code log.maxBytesPerBuild}.
 */
class LogCapsTest {

  private static Build withLog(long lines, long bytes) {
    return new Build(
        7, "p", null, null, null, null, "running", List.of(), lines, 1, "t", null, null, bytes, 0);
  }

  @Test
  void everythingFitsUnderBothCaps() {
    LogCaps.Fit fit = new LogCaps(100, 100).fit(withLog(0, 0), List.of("ab", "c"));

    assertThat(fit).isEqualTo(new LogCaps.Fit(2, 5, null));
    assertThat(fit.truncated()).isFalse();
  }

  @Test
  void bytesAreUtf8BytesWithTheLineEnd() {
    // "é" is 2 bytes, "🚀" 4, each line 1 more for its \n: 3 + 5 = 8
    LogCaps.Fit fit = new LogCaps(100, 8).fit(withLog(0, 0), List.of("é", "🚀", "x"));

    assertThat(fit).isEqualTo(new LogCaps.Fit(2, 8, "log.maxBytesPerBuild"));
  }

  @Test
  void theBytesAlreadyStoredCount() {
    LogCaps.Fit fit = new LogCaps(100, 10).fit(withLog(3, 6), List.of("a", "b", "c"));

    assertThat(fit).isEqualTo(new LogCaps.Fit(2, 4, "log.maxBytesPerBuild"));
  }

  @Test
  void theLineCapCutsToo() {
    LogCaps.Fit fit = new LogCaps(4, 1000).fit(withLog(3, 6), List.of("a", "b", "c"));

    assertThat(fit).isEqualTo(new LogCaps.Fit(1, 2, "log.maxLinesPerBuild"));
  }

  @Test
  void whenNotEvenTheFirstLineFitsNothingIsStoredAnd413NamesTheSetting() {
    assertThatThrownBy(() -> new LogCaps(100, 10).fit(withLog(3, 8), List.of("abc")))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(413))
        .hasMessageContaining("log.maxBytesPerBuild (10 bytes)");
    assertThatThrownBy(() -> new LogCaps(3, 100).fit(withLog(3, 8), List.of("a")))
        .hasMessageContaining("log.maxLinesPerBuild (3 lines)");
  }

  @Test
  void anEmptyAppendFitsAFullLog() {
    assertThat(new LogCaps(3, 8).fit(withLog(3, 8), List.of()))
        .isEqualTo(new LogCaps.Fit(0, 0, null));
  }
}
