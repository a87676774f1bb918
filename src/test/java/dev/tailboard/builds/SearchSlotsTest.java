package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.config.Config;
import dev.tailboard.support.Problem;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The server-wide cap on concurrent searches and its 429. */
class SearchSlotsTest {

  private static SearchSlots slots(String maxConcurrent, String budgetMillis) {
    Map<String, String> settings =
        Map.of(
            "tailboard.search.maxConcurrent", maxConcurrent,
            "tailboard.search.budgetMillis", budgetMillis);
    SearchSlots slots = new SearchSlots();
    slots.config = new Config(settings::get, Map.of());
    slots.init();
    return slots;
  }

  @Test
  void pastMaxConcurrentNoSlotIsFreeUntilASearchEnds() {
    SearchSlots slots = slots("2", "2000");
    Optional<SearchSlots.Slot> first = slots.tryTake();
    Optional<SearchSlots.Slot> second = slots.tryTake();

    assertThat(first).isPresent();
    assertThat(second).isPresent();
    assertThat(slots.tryTake()).isEmpty();

    first.get().close();
    first.get().close(); // closing twice frees one slot, not two
    assertThat(slots.tryTake()).isPresent();
    assertThat(slots.tryTake()).isEmpty();
  }

  @Test
  void busyIs429ProblemJsonWithRetryAfterOfOneTimeBudget() {
    Response busy = slots("4", "2500").busy();

    assertThat(busy.getStatus()).isEqualTo(429);
    assertThat(busy.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
    assertThat(busy.getHeaderString("Retry-After")).isEqualTo("3");
    assertThat(((Problem) busy.getEntity()).detail()).contains("search.maxConcurrent");
  }
}
