package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLinesTest {

  @Test
  void shortLinesStayWhole() {
    assertThat(LogLines.split("hello", 10)).containsExactly("hello");
  }

  @Test
  void longLinesSplitOnCharacterBoundariesWithinTheByteLimit() {
    String line = "aé😀".repeat(5000);
    List<String> pieces = LogLines.split(line, 1000);
    assertThat(String.join("", pieces)).isEqualTo(line);
    for (String piece : pieces) {
      assertThat(piece.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1000);
      assertThat(Character.isLowSurrogate(piece.charAt(0))).isFalse();
    }
    assertThat(pieces.size()).isGreaterThan(1);
  }

  @Test
  void onlyOneTrailingCarriageReturnIsDropped() {
    assertThat(LogLines.stripCarriageReturn("50%\r100%\r")).isEqualTo("50%\r100%");
    assertThat(LogLines.stripCarriageReturn("plain")).isEqualTo("plain");
  }
}
