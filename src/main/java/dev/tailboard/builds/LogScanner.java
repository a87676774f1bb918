package dev.tailboard.builds;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.LogChunk;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;

/**
 * Reads a build's stored log line by line, in line order, a page of chunks at a time (never the
 * whole log in memory): the raw download and the search both walk the log through here.
 */
@ApplicationScoped
public class LogScanner {

  /** Log events read from the store per query, at most; {@code log.readPageBytes} bounds it too. */
  private static final int PAGE = 200;

  /** Receives each line; returns false to stop the scan. */
  @FunctionalInterface
  public interface LineVisitor {
    boolean line(long number, String text) throws IOException;
  }

  @Inject EventStore store;
  @Inject Json json;
  @Inject Config config;

  /**
   * Visits lines {@code from}..{@code to} (inclusive) of build {@code buildId} in order, each once,
   * until the visitor returns false. Returns the number of the last line visited ({@code from - 1}
   * when none).
   */
  public long scan(long buildId, long from, long to, LineVisitor visitor) throws IOException {
    long next = from;
    // a page of 200 events of up to 256 KB each would be 50 MB: bounded in bytes too
    long pageBytes = config.integer(Setting.LOG_READ_PAGE_BYTES);
    while (next <= to) {
      List<StoredEvent> page = store.readLogEvents(buildId, next, to, PAGE, pageBytes);
      if (page.isEmpty()) {
        break;
      }
      for (StoredEvent e : page) {
        LogChunk chunk = json.read(e.data(), LogChunk.class);
        for (int i = 0; i < chunk.lines().size(); i++) {
          long n = chunk.first() + i;
          if (n >= next && n <= to) {
            if (!visitor.line(n, chunk.lines().get(i))) {
              return n;
            }
            next = n + 1;
          }
        }
        next = Math.max(next, e.lastLine() + 1);
      }
    }
    return next - 1;
  }
}
