package dev.tailboard.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.store.LogChunk;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.Json;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogMergerTest {

  private final Json json = new Json();
  private final LogMerger merger = new LogMerger();

  LogMergerTest() {
    merger.json = json;
  }

  private StoredEvent log(long id, long first, String step, String... lines) {
    LogChunk chunk = new LogChunk(first, List.of(lines), step, null, "t" + id);
    return new StoredEvent(1, id, "log", json.write(chunk), first, first + lines.length - 1);
  }

  @Test
  void consecutiveLinesOfOneStepMergeIntoOneEventWithTheLastId() {
    ArrayDeque<StoredEvent> queue = new ArrayDeque<>();
    queue.add(log(5, 1, "a", "l1", "l2"));
    queue.add(log(6, 3, "a", "l3"));
    queue.add(log(7, 4, "a", "l4", "l5"));
    assertThat(merger.merge(queue)).isEqualTo(2);
    assertThat(queue).hasSize(1);
    StoredEvent merged = queue.peek();
    assertThat(merged.id()).isEqualTo(7);
    assertThat(merged.firstLine()).isEqualTo(1);
    assertThat(merged.lastLine()).isEqualTo(5);
    LogChunk chunk = json.read(merged.data(), LogChunk.class);
    assertThat(chunk.lines()).containsExactly("l1", "l2", "l3", "l4", "l5");
    assertThat(chunk.first()).isEqualTo(1);
  }

  @Test
  void otherEventsAndStepChangesBreakARunAndKeepTheirOrder() {
    ArrayDeque<StoredEvent> queue = new ArrayDeque<>();
    queue.add(log(2, 1, "a", "l1"));
    queue.add(log(3, 2, "a", "l2"));
    queue.add(new StoredEvent(1, 4, "step", "{}", 0, 0));
    queue.add(log(5, 3, "a", "l3"));
    queue.add(log(6, 4, "b", "l4"));
    queue.add(log(7, 5, "b", "l5"));
    merger.merge(queue);
    assertThat(queue).extracting(StoredEvent::id).containsExactly(3L, 4L, 5L, 7L);
    assertThat(queue).extracting(StoredEvent::type).containsExactly("log", "step", "log", "log");
  }

  @Test
  void errorIndexesMoveWithTheirLinesWhenChunksMerge() {
    ArrayDeque<StoredEvent> queue = new ArrayDeque<>();
    queue.add(
        new StoredEvent(
            1,
            5,
            "log",
            json.write(new LogChunk(1, List.of("a", "x"), "s", null, "t", List.of(1))),
            1,
            2));
    queue.add(log(6, 3, "s", "b"));
    queue.add(
        new StoredEvent(
            1,
            7,
            "log",
            json.write(new LogChunk(4, List.of("y", "c"), "s", null, "t", List.of(0))),
            4,
            5));

    merger.merge(queue);

    LogChunk chunk = json.read(queue.peek().data(), LogChunk.class);
    assertThat(chunk.errors()).containsExactly(1, 3);
    assertThat(json.read(log(8, 1, "s", "z").data(), LogChunk.class).errors()).isNull();
  }
}
