package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The error line rules of docs/failures.md, "Error lines": each example there is here. */
class ErrorLinesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\u001b[31mboom\u001b[0m",
        "\u001b[91mboom",
        "\u001b[1;31mbold red\u001b[0m",
        "\u001b[31;1mred bold",
        "ok \u001b[31m✘\u001b[0m",
        "error: cannot find symbol",
        "src/app.c:3:5: error: expected ';'",
        "ERROR: Could not find a version",
        "Error: Cannot find module 'x'",
        "[ERROR] Failed to execute goal",
        "npm ERR! code ELIFECYCLE",
        "##[error]Process completed with exit code 1.",
        "[error] something broke",
        "error something broke",
        "FAIL src/app.test.js",
        "--- FAIL: TestParse (0.00s)",
        "BUILD FAILED in 3s",
        "Tests FAILED",
        "✗ renders the header",
        "  ✖ 1 problem",
        "❌ deploy",
        "Traceback (most recent call last):",
        "Exception in thread \"main\" java.lang.NullPointerException",
        "::error::boom",
        "::error file=src/app.js,line=3::boom",
        "  ::error title=T::m",
        "TypeError: x is not a function",
        "AssertionError: expected 1 to equal 2",
        "java.lang.IllegalStateException: bad state",
        "Error: Process completed with exit code 1.",
        "Process exited with code 2",
        "command failed: exit code 137",
        "exit status 1",
        "\u001b[36;1mlater\u001b[0m\rerror: overwritten progress",
      })
  void errors(String line) {
    assertThat(ErrorLines.isError(line)).as(line).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "compiled 12 files, 0 errors, 0 warnings",
        "Errors: 0",
        "errors: none",
        "no errors found",
        "gcc -Werror -Wall -o app main.c",
        "cc -Werror=format main.c",
        "cargo build --error-format=json",
        "onError handler registered",
        "error_reporting(E_ALL)",
        "errorCount=0",
        "ErrorProne 2.x enabled",
        "an error handler in the middle of a sentence",
        "Tests run: 5, Failures: 0, Errors: 0, Skipped: 0",
        "FAIL_FAST=1",
        "FAILURES: 0",
        "Failed to fetch, retrying", // mixed case FAIL words are prose
        "Error: Process completed with exit code 0.",
        "exited with code 0",
        "::warning file=a.js::careful",
        "::notice::fyi",
        "::group::Run tests",
        "\u001b[32mok\u001b[0m",
        "\u001b[31m\u001b[0m",
        "\u001b[31m   \u001b[0m",
        "\u001b[38;5;31mindex 31 of 256 is blue\u001b[0m",
        "\u001b[48;5;31mbackground\u001b[0m",
        "\u001b[41mred background only\u001b[0m",
        "\u001b[31mred\u001b[0m\rrepainted in plain text",
        "Caused by: something",
        "✓ renders the header",
      })
  void notErrors(String line) {
    assertThat(ErrorLines.isError(line)).as(line).isFalse();
  }

  @Test
  void indexesAreWithinTheChunk() {
    assertThat(ErrorLines.indexes(List.of("ok", "error: x", "ok", "FAIL a"))).containsExactly(1, 3);
    assertThat(ErrorLines.indexes(List.of("ok"))).isEmpty();
  }
}
