package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchBudgetTest {

  @Test
  void aSearchScansAtMostMaxScanLines() {
    SearchBudget budget = new SearchBudget(3, 60_000);

    assertThat(budget.take()).isTrue();
    assertThat(budget.take()).isTrue();
    assertThat(budget.take()).isTrue();
    assertThat(budget.take()).isFalse();
    assertThat(budget.take()).isFalse();
  }

  @Test
  void aSearchPastItsTimeScansNoMoreThanItsFirstLine() {
    SearchBudget budget = new SearchBudget(1_000_000, 0);

    // the first line is always scanned: a client following next always moves on
    assertThat(budget.take()).isTrue();
    assertThat(budget.take()).isFalse();
  }
}
