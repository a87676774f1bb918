package dev.tailboard.masks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskerTest {

  @Test
  void masksEveryOccurrence() {
    Masker masker = Masker.of(List.of("hunter22"));
    assertThat(masker.mask("pw=hunter22 again hunter22.")).isEqualTo("pw=*** again ***.");
  }

  @Test
  void masksEncodings() {
    Masker masker = Masker.of(List.of("p@ss word"));
    assertThat(masker.mask("u=p%40ss+word&x")).isEqualTo("u=***&x");
    assertThat(masker.mask("u=p%40ss%20word")).isEqualTo("u=***");
    String blob = Base64.getEncoder().encodeToString("user:p@ss word".getBytes());
    assertThat(masker.mask("Authorization: Basic " + blob)).doesNotContain(blob).contains("***");
  }

  @Test
  void overlappingAndAdjacentMatchesAreOneMask() {
    Masker masker = Masker.of(List.of("abcdef", "defghi", "wxyz"));
    assertThat(masker.mask("<abcdefghi>")).isEqualTo("<***>");
    assertThat(masker.mask("<abcdefwxyz>")).isEqualTo("<***>");
    assertThat(masker.mask("<abcdef wxyz>")).isEqualTo("<*** ***>");
    // a match inside a longer one
    assertThat(Masker.of(List.of("abcdefgh", "cdef")).mask("abcdefgh cdef")).isEqualTo("*** ***");
  }

  @Test
  void replacementThatCompletesAnotherOccurrenceIsMaskedAgain() {
    Masker masker = Masker.of(List.of("a***b"));
    assertThat(masker.mask("aa***bb")).isEqualTo("***");
    assertThat(Masker.of(List.of("****")).mask("*******")).isEqualTo("***");
  }

  @Test
  void unchangedTextIsTheSameInstance() {
    Masker masker = Masker.of(List.of("hunter22"));
    String line = new String("nothing to see here");
    assertThat(masker.mask(line)).isSameAs(line);
    List<String> lines = List.of("a", "b");
    assertThat(masker.maskLines(lines)).isSameAs(lines);
    List<String> multi = List.of("-----BEGIN-----", "b");
    Masker keys = Masker.of(List.of("-----BEGIN-----\nkey"));
    assertThat(keys.maskLines(List.of("x", "y"))).isEqualTo(List.of("x", "y"));
    List<String> untouched = new ArrayList<>(List.of("x", "y"));
    assertThat(keys.maskLines(untouched)).isSameAs(untouched);
    assertThat(keys.maskLines(multi)).isEqualTo(List.of("***", "b"));
  }

  @Test
  void emptyMaskerMasksNothing() {
    Masker none = Masker.none();
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.size()).isZero();
    assertThat(none.values()).isEmpty();
    String line = "hunter22";
    assertThat(none.mask(line)).isSameAs(line);
    List<String> lines = List.of(line);
    assertThat(none.maskLines(lines)).isSameAs(lines);
    assertThat(Masker.of(List.of())).isSameAs(Masker.none());
  }

  @Test
  void plusAddsValuesAndKeepsTheMaskerWhenNothingIsNew() {
    Masker one = Masker.of(List.of("hunter22", "hunter22"));
    assertThat(one.size()).isEqualTo(1);
    assertThat(one.plus(List.of("hunter22"))).isSameAs(one);
    Masker two = one.plus(List.of("tiger123"));
    assertThat(two.values()).containsExactly("hunter22", "tiger123");
    assertThat(two.mask("hunter22 tiger123")).isEqualTo("*** ***");
    assertThat(one.mask("tiger123")).isEqualTo("tiger123");
  }

  @Test
  void refusedValuesAreACallerBug() {
    assertThatThrownBy(() -> Masker.of(List.of("abc")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void maskLinesMasksAMultiLineValueAcrossLinesWithoutChangingTheirCount() {
    Masker masker = Masker.of(List.of("key-line-1\nkl2\nkey-line-3"));
    List<String> lines = List.of("before", "x=key-line-1", "kl2", "key-line-3 after", "kl2");
    assertThat(masker.maskLines(lines))
        .containsExactly("before", "x=***", "***", "*** after", "kl2");
    // split between two calls, the 4+-char lines are still masked on their own
    assertThat(masker.maskLines(List.of("x=key-line-1", "kl2"))).containsExactly("x=***", "kl2");
    assertThat(masker.maskLines(List.of("key-line-3 after"))).containsExactly("*** after");
    // mask() sees a multi-line text whole
    assertThat(masker.mask("x=key-line-1\nkl2\nkey-line-3!")).isEqualTo("x=***!");
  }

  @Test
  void maskLinesWithCrlfValueMatchesLinesWithoutCarriageReturns() {
    Masker masker = Masker.of(List.of("abcd\r\nef\r\n"));
    assertThat(masker.maskLines(List.of("abcd", "ef", "gh"))).containsExactly("***", "***", "gh");
  }

  @Test
  void maskLinesOfSingleLineValuesIsMaskPerLine() {
    Masker masker = Masker.of(List.of("hunter22"));
    List<String> lines = List.of("a hunter22", "plain", "hunter22hunter22");
    List<String> masked = masker.maskLines(lines);
    assertThat(masked).containsExactly("a ***", "plain", "***");
    assertThat(masked.get(1)).isSameAs(lines.get(1));
  }
}
