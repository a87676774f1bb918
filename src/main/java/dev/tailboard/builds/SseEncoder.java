package dev.tailboard.builds;

import dev.tailboard.store.EventStore;
import dev.tailboard.store.StoredEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Encodes hub events for SSE once per broadcast: the subscribers of a build are handed the same
 * {@link StoredEvent} instance, so all but the first find its bytes among the events encoded last.
 * Stored events replayed by many subscribers at once (a reconnect storm, readers of one finished
 * build) are matched by their identity in the store, so they are encoded once too. Bounded: 64
 * events of at most 512 KiB; anything else is encoded again, never wrong.
 */
@ApplicationScoped
public class SseEncoder {

  private static final int SLOTS = 64;
  private static final int MAX_CACHED_BYTES = 512 * 1024;

  private final AtomicReferenceArray<EncodedSseEvent> recent = new AtomicReferenceArray<>(SLOTS);

  @Inject EventStore store;

  private volatile String epoch;

  /** For CDI. */
  public SseEncoder() {}

  /** An encoder for the database of epoch {@code epoch}: for tests. */
  SseEncoder(String epoch) {
    this.epoch = epoch;
  }

  /**
   * The same stored event: a broadcast hands every subscriber one instance; replays read their own
   * copies of it from the store. A build's event is never rewritten once stored, and a merged event
   * (the last id of its run) differs from the stored one with that id in its first line.
   */
  private static boolean same(StoredEvent a, StoredEvent b) {
    return a == b
        || (a.id() > 0 // feed summaries (id 0) only by identity: they change
            && a.buildId() == b.buildId()
            && a.id() == b.id()
            && a.firstLine() == b.firstLine()
            && a.lastLine() == b.lastLine()
            && a.type().equals(b.type())
            && a.data().length() == b.data().length());
  }

  /** The database's epoch, the first part of every stream position. */
  public String epoch() {
    String known = epoch;
    if (known == null) {
      known = store.epoch();
      epoch = known;
    }
    return known;
  }

  /** The encoded form of {@code event}: from the recent ones if it was just encoded. */
  public EncodedSseEvent encode(StoredEvent event) {
    int slot = (int) ((event.buildId() * 31 + event.id()) & (SLOTS - 1));
    EncodedSseEvent last = recent.get(slot);
    if (last != null && same(last.source(), event)) {
      return last;
    }
    EncodedSseEvent encoded = new EncodedSseEvent(event, epoch());
    if (encoded.frame().length <= MAX_CACHED_BYTES) {
      recent.set(slot, encoded);
    }
    return encoded;
  }
}
