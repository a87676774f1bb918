package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LastEventIdTest {

  @Test
  void absentMeansFromTheStart() {
    assertThat(LastEventId.parse(null, 10)).isEqualTo(new LastEventId(0, false));
    assertThat(LastEventId.parse(" ", 10)).isEqualTo(new LastEventId(0, false));
  }

  @Test
  void knownIdsResumeAfterThem() {
    assertThat(LastEventId.parse("7", 10)).isEqualTo(new LastEventId(7, false));
    assertThat(LastEventId.parse("10", 10)).isEqualTo(new LastEventId(10, false));
  }

  @Test
  void garbageAndFutureIdsReset() {
    assertThat(LastEventId.parse("abc", 10)).isEqualTo(new LastEventId(0, true));
    assertThat(LastEventId.parse("11", 10)).isEqualTo(new LastEventId(0, true));
    assertThat(LastEventId.parse("-1", 10)).isEqualTo(new LastEventId(0, true));
    assertThat(LastEventId.parse("99999999999999999999", 10)).isEqualTo(new LastEventId(0, true));
  }

  @Test
  void aPositionOfThisEpochResumesAndOneOfAnotherHistoryResets() {
    assertThat(LastEventId.parse("k3x9qa.7", 10, "k3x9qa")).isEqualTo(new LastEventId(7, false));
    assertThat(LastEventId.parse("7", 10, "k3x9qa")).isEqualTo(new LastEventId(7, false));
    assertThat(LastEventId.parse("old000.7", 10, "k3x9qa")).isEqualTo(new LastEventId(0, true));
    assertThat(LastEventId.parse("k3x9qa.11", 10, "k3x9qa")).isEqualTo(new LastEventId(0, true));
    assertThat(LastEventId.parse("k3x9qa.x", 10, "k3x9qa")).isEqualTo(new LastEventId(0, true));
  }
}
