package dev.tailboard.masks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskValuesTest {

  @Test
  void acceptsValuesOfFourCharactersOrMore() {
    assertThat(MaskValues.check("abcd")).isNull();
    assertThat(MaskValues.check("a b*")).isNull();
    assertThat(MaskValues.check("ghp_0123456789abcdef")).isNull();
    assertThat(MaskValues.check("line one\nx")).isNull();
    assertThat(MaskValues.check("ab\r\nabcd\r\n")).isNull();
  }

  @Test
  void refusesWhatWouldMaskOrdinaryText() {
    assertThat(MaskValues.check(null)).contains("empty");
    assertThat(MaskValues.check("")).contains("empty");
    assertThat(MaskValues.check("abc")).contains("shorter than 4");
    assertThat(MaskValues.check("    ")).contains("whitespace");
    assertThat(MaskValues.check("ab\0cd")).contains("NUL");
    assertThat(MaskValues.check("abc\nabc\n")).contains("no line");
    assertThat(MaskValues.check("abc\n     \nxyz")).contains("no line");
  }

  @Test
  void countsCharactersNotUtf16Units() {
    // two emoji are four chars in Java but two characters to the user
    assertThat(MaskValues.check("😀😀")).contains("shorter than 4");
    assertThat(MaskValues.check("😀😀😀😀")).isNull();
  }
}
