package dev.tailboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.support.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildTest {

  @Test
  void theLogByteCountIsNotPartOfTheSummaryClientsSee() {
    Json json = new Json();
    Build build =
        new Build(
            7, "p", null, null, null, null, "running", List.of(), 2, 3, "t", null, null, 99, 0);

    String written = json.write(build);

    assertThat(written).doesNotContain("logBytes").doesNotContain("99");
    assertThat(json.read(written, Build.class)).isEqualTo(build.withMoreLogBytes(-99));
  }
}
