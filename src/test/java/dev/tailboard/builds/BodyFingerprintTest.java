package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.store.NewBuild;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyFingerprintTest {

  private static NewBuild build(String title) {
    return new NewBuild("p/q", title, "main", null, null);
  }

  @Test
  void theSameFieldsGiveTheSameHexSha256() {
    assertThat(BodyFingerprint.of(build("t")))
        .isEqualTo(BodyFingerprint.of(build("t")))
        .matches("[0-9a-f]{64}");
    assertThat(BodyFingerprint.ofChunk(List.of("a", "b"), "s", "stdout"))
        .isEqualTo(BodyFingerprint.ofChunk(List.of("a", "b"), "s", "stdout"));
  }

  @Test
  void anyDifferenceInAFieldGivesAnotherFingerprint() {
    assertThat(BodyFingerprint.of(build("t"))).isNotEqualTo(BodyFingerprint.of(build("u")));
    assertThat(BodyFingerprint.of(build(null))).isNotEqualTo(BodyFingerprint.of(build("")));
    assertThat(BodyFingerprint.of(new NewBuild("p", "x", null, null, null)))
        .isNotEqualTo(BodyFingerprint.of(new NewBuild("p", null, "x", null, null)));
  }

  @Test
  void chunksDifferByTheirLinesTheirSplitTheirStepAndTheirStream() {
    String ab = BodyFingerprint.ofChunk(List.of("a", "b"), null, null);
    assertThat(BodyFingerprint.ofChunk(List.of("ab"), null, null)).isNotEqualTo(ab);
    assertThat(BodyFingerprint.ofChunk(List.of("a", "b", ""), null, null)).isNotEqualTo(ab);
    assertThat(BodyFingerprint.ofChunk(List.of("a"), "b", null))
        .isNotEqualTo(BodyFingerprint.ofChunk(List.of("a", "b"), null, null));
    assertThat(BodyFingerprint.ofChunk(List.of("a", "b"), "s", null)).isNotEqualTo(ab);
    assertThat(BodyFingerprint.ofChunk(List.of("a", "b"), null, "stderr")).isNotEqualTo(ab);
    assertThat(BodyFingerprint.ofChunk(List.of("a", "b"), null, "s"))
        .isNotEqualTo(BodyFingerprint.ofChunk(List.of("a", "b"), "s", null));
  }

  @Test
  void aLoneSurrogateIsFingerprintedLikeAnyCharacter() {
    assertThat(BodyFingerprint.ofChunk(List.of("x\ud800"), null, null))
        .isNotEqualTo(BodyFingerprint.ofChunk(List.of("x\ud801"), null, null));
  }
}
