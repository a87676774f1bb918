package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.store.Annotation;
import org.junit.jupiter.api.Test;

class WorkflowCommandsTest {

  @Test
  void readsAnErrorWithEveryParameter() {
    Annotation a =
        WorkflowCommands.annotation(
            "::error file=src/app.js,line=3,col=5,endLine=4,endColumn=9,title=Bad thing::boom", 42);

    assertThat(a)
        .isEqualTo(new Annotation("error", "boom", "src/app.js", 3, 5, 4, 9, "Bad thing", 42));
  }

  @Test
  void parametersAreOptional() {
    assertThat(WorkflowCommands.annotation("::warning::careful", 1))
        .isEqualTo(new Annotation("warning", "careful", null, null, null, null, null, null, 1));
    assertThat(WorkflowCommands.annotation("::notice title=Hi::", 2))
        .isEqualTo(new Annotation("notice", "", null, null, null, null, null, "Hi", 2));
    assertThat(WorkflowCommands.annotation("  ::error line=x::bad number", 3).line()).isNull();
  }

  @Test
  void unescapesAsGitHubDoes() {
    Annotation a =
        WorkflowCommands.annotation(
            "::error file=a%2Cb.js,title=x%3A y%0Az%25::50%25 done%0Anext line%3A kept", 7);

    assertThat(a.file()).isEqualTo("a,b.js");
    assertThat(a.title()).isEqualTo("x: y\nz%");
    // the message unescapes %25 %0D %0A only
    assertThat(a.message()).isEqualTo("50% done\nnext line%3A kept");
    assertThat(WorkflowCommands.unescapeProperty("%250A")).isEqualTo("%0A");
  }

  @Test
  void colouredCommandsCount() {
    assertThat(WorkflowCommands.annotation("\u001b[31m::error::red\u001b[0m", 1).message())
        .isEqualTo("red");
  }

  @Test
  void otherLinesAreNone() {
    assertThat(WorkflowCommands.annotation("::group::Build", 1)).isNull();
    assertThat(WorkflowCommands.annotation("::add-mask::secret", 1)).isNull();
    assertThat(WorkflowCommands.annotation("::errors::x", 1)).isNull();
    assertThat(WorkflowCommands.annotation("::error no end", 1)).isNull();
    assertThat(WorkflowCommands.annotation("echo ::error::x", 1)).isNull();
    assertThat(WorkflowCommands.annotation("plain", 1)).isNull();
  }
}
