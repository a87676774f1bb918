package dev.tailboard.masks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddMaskTest {

  @Test
  void valueOfACommandLine() {
    assertThat(AddMask.value("::add-mask::s3cret!")).isEqualTo("s3cret!");
    assertThat(AddMask.value("  \t::add-mask::s3cret!")).isEqualTo("s3cret!");
    assertThat(AddMask.value("::add-mask::a::add-mask::b")).isEqualTo("a::add-mask::b");
    assertThat(AddMask.value("::add-mask::")).isEmpty();
  }

  @Test
  void otherLinesAreNoCommand() {
    assertThat(AddMask.value("echo ::add-mask::s3cret")).isNull();
    assertThat(AddMask.value("::ADD-MASK::s3cret")).isNull();
    assertThat(AddMask.value("::warning::s3cret")).isNull();
    assertThat(AddMask.value("")).isNull();
    assertThat(AddMask.value(null)).isNull();
  }

  @Test
  void commandEscapingIsUndone() {
    assertThat(AddMask.value("::add-mask::line1%0Aline2%0D%0Aline3"))
        .isEqualTo("line1\nline2\r\nline3");
    assertThat(AddMask.value("::add-mask::100%25 %0a")).isEqualTo("100% \n");
    // one pass from the left: an escaped % followed by 0A is the text %0A
    assertThat(AddMask.value("::add-mask::a%250Ab")).isEqualTo("a%0Ab");
    assertThat(AddMask.value("::add-mask::50% off%")).isEqualTo("50% off%");
  }

  @Test
  void storedLineHidesTheValue() {
    assertThat(AddMask.stored("::add-mask::s3cret!")).isEqualTo("::add-mask::***");
    assertThat(AddMask.stored("  ::add-mask::a%0Ab")).isEqualTo("  ::add-mask::***");
    assertThat(AddMask.stored("plain line")).isEqualTo("plain line");
  }
}
