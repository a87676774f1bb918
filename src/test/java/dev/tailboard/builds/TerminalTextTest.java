package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

  @Test
  void dropsColoursAndLinks() {
    assertThat(TerminalText.shown("\u001b[1;31merror:\u001b[0m boom")).isEqualTo("error: boom");
    assertThat(TerminalText.shown("\u001b]8;;https://x\u0007link\u001b]8;;\u0007"))
        .isEqualTo("link");
  }

  @Test
  void keepsOnlyWhatFollowsTheLastCarriageReturn() {
    assertThat(TerminalText.shown("10%\r50%\r100%")).isEqualTo("100%");
    assertThat(TerminalText.shown("done\r")).isEqualTo("done");
    assertThat(TerminalText.shown("\r\r")).isEmpty();
    assertThat(TerminalText.shown("plain")).isEqualTo("plain");
  }

  @Test
  void foldsCase() {
    assertThat(TerminalText.fold("ERROR Straße")).isEqualTo("error straße");
  }
}
