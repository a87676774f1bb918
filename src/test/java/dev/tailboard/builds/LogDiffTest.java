package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The set difference: new lines in log order with their numbers, and the three bounds. */
class LogDiffTest {

  private static LogDiff.Lines log(String... lines) {
    return log(List.of(lines));
  }

  private static LogDiff.Lines log(List<String> lines) {
    return visitor -> {
      for (int i = 0; i < lines.size(); i++) {
        if (!visitor.line(i + 1, lines.get(i))) {
          return;
        }
      }
    };
  }

  @Test
  void newLinesAreThoseWhoseNormalisedTextIsNowhereInTheOtherLogInLogOrder() throws Exception {
    LogDiff.Result r =
        new LogDiff(1000, 1000)
            .newLines(
                log(
                    "12:00:01 start",
                    "\u001b[31merror:\u001b[0m boom",
                    "compiled in 2.5s",
                    "later line",
                    "error: boom",
                    "12:00:09 start",
                    "a new tail"),
                log("later line", "compiled in 1s", "11:59:59 start", "unrelated"));

    assertThat(r.lines())
        .containsExactly(
            new LogDiff.NewLine(2, "error: boom"),
            new LogDiff.NewLine(5, "error: boom"),
            new LogDiff.NewLine(7, "a new tail"));
    assertThat(r.truncated()).isFalse();
  }

  @Test
  void anEmptyOtherLogMakesEveryLineNewAndIdenticalLogsNone() throws Exception {
    assertThat(new LogDiff(10, 10).newLines(log("a", "b"), log()).lines()).hasSize(2);
    assertThat(new LogDiff(10, 10).newLines(log("a", "b"), log("b", "a")).lines()).isEmpty();
  }

  @Test
  void atMostMaxResultsNewLinesThenTruncated() throws Exception {
    LogDiff.Result exactly = new LogDiff(100, 2).newLines(log("x", "y"), log("z"));
    assertThat(exactly.lines()).hasSize(2);
    assertThat(exactly.truncated()).isFalse();

    LogDiff.Result over = new LogDiff(100, 2).newLines(log("x", "same", "y", "w"), log("same"));
    assertThat(over.lines()).extracting(LogDiff.NewLine::line).containsExactly(1L, 3L);
    assertThat(over.truncated()).isTrue();
  }

  @Test
  void atMostMaxLinesOfEitherLogAreReadThenTruncated() throws Exception {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      many.add("line " + (char) ('a' + i));
    }
    // the other log's lines past the 5th are not known: "line g" counts as new
    LogDiff.Result other = new LogDiff(5, 100).newLines(log("line g"), log(many));
    assertThat(other.lines()).extracting(LogDiff.NewLine::text).containsExactly("line g");
    assertThat(other.truncated()).isTrue();

    // this log's lines past the 5th are not read
    LogDiff.Result self = new LogDiff(5, 100).newLines(log(many), log());
    assertThat(self.lines()).hasSize(5);
    assertThat(self.truncated()).isTrue();
  }
}
