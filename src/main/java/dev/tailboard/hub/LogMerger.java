package dev.tailboard.hub;

import dev.tailboard.store.LogChunk;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Merges runs of queued {@code log} events into one when a subscriber falls behind. Only events
 * whose lines follow on with the same step and stream are merged; the merged event takes the last
 * id of its run, so the subscriber's ids skip forward but never back and no line is lost.
 */
@ApplicationScoped
public class LogMerger {

  @Inject Json json;

  /** Returns how many events the queue lost by merging; the queue is changed in place. */
  public int merge(Deque<StoredEvent> queue) {
    int before = queue.size();
    Deque<StoredEvent> out = new ArrayDeque<>(before);
    List<StoredEvent> run = new ArrayList<>();
    LogChunk runChunk = null;
    for (StoredEvent e : queue) {
      LogChunk chunk = e.isLog() ? json.read(e.data(), LogChunk.class) : null;
      if (chunk != null
          && runChunk != null
          && follows(run.get(run.size() - 1), runChunk, e, chunk)) {
        run.add(e);
        runChunk = append(runChunk, chunk);
        continue;
      }
      flush(out, run, runChunk);
      run.clear();
      runChunk = chunk;
      if (chunk != null) {
        run.add(e);
      } else {
        out.add(e);
      }
    }
    flush(out, run, runChunk);
    queue.clear();
    queue.addAll(out);
    return before - queue.size();
  }

  private static boolean follows(StoredEvent last, LogChunk runChunk, StoredEvent e, LogChunk c) {
    return e.firstLine() == last.lastLine() + 1
        && Objects.equals(runChunk.step(), c.step())
        && Objects.equals(runChunk.stream(), c.stream());
  }

  private static LogChunk append(LogChunk a, LogChunk b) {
    List<String> lines = new ArrayList<>(a.lines().size() + b.lines().size());
    lines.addAll(a.lines());
    lines.addAll(b.lines());
    // error line indexes are within lines: b's move down past a's lines
    List<Integer> errors = new ArrayList<>();
    if (a.errors() != null) {
      errors.addAll(a.errors());
    }
    if (b.errors() != null) {
      for (int i : b.errors()) {
        errors.add(i + a.lines().size());
      }
    }
    return new LogChunk(a.first(), lines, a.step(), a.stream(), b.ts(), errors);
  }

  private void flush(Deque<StoredEvent> out, List<StoredEvent> run, LogChunk merged) {
    if (run.isEmpty()) {
      return;
    }
    if (run.size() == 1) {
      out.add(run.get(0));
      return;
    }
    StoredEvent first = run.get(0);
    StoredEvent last = run.get(run.size() - 1);
    out.add(
        new StoredEvent(
            last.buildId(),
            last.id(),
            "log",
            json.write(merged),
            first.firstLine(),
            last.lastLine()));
  }
}
