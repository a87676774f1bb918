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

  @Test
  void theFailureSummaryIsPartOfTheJsonAndKeepsTheFirstError() {
    Json json = new Json();
    Build build =
        new Build(7, "p", null, null, null, null, "running", List.of(), 2, 3, "t", null, null, 0, 0)
            .withErrors(2, 5, "error: one", new AnnotationCounts(1, 0, 2))
            .withErrors(1, 9, "error: later", new AnnotationCounts(1, 0, 2));

    String written = json.write(build);

    assertThat(written)
        .contains("\"errorCount\":3")
        .contains("\"firstErrorLine\":5")
        .contains("\"firstError\":\"error: one\"")
        .contains("\"annotations\":{\"error\":1,\"warning\":0,\"notice\":2}");
    assertThat(json.read(written, Build.class)).isEqualTo(build);
    assertThat(json.read("{\"id\":1}", Build.class).annotations()).isEqualTo(AnnotationCounts.NONE);
  }
}
