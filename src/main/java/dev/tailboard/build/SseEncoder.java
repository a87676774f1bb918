package dev.tailboard.build;

import dev.tailboard.store.StoredEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Encodes hub events for SSE once per broadcast: the subscribers of a build are handed the same
 * {@link StoredEvent} instance, so all but the first find its bytes among the events encoded last.
 * Bounded: 64 events of at most 64 KiB; anything else is encoded again, never wrong (a slot is
 * matched by identity).
 */
@ApplicationScoped
public class SseEncoder {

  private static final int SLOTS = 64;
  private static final int MAX_CACHED_BYTES = 64 * 1024;

  private final AtomicReferenceArray<EncodedSseEvent> recent = new AtomicReferenceArray<>(SLOTS);

  /** The encoded form of {@code event}: from the recent ones if it was just encoded. */
  public EncodedSseEvent encode(StoredEvent event) {
    int slot = (int) ((event.buildId() * 31 + event.id()) & (SLOTS - 1));
    EncodedSseEvent last = recent.get(slot);
    if (last != null && last.source() == event) {
      return last;
    }
    EncodedSseEvent encoded = new EncodedSseEvent(event);
    if (encoded.frame().length <= MAX_CACHED_BYTES) {
      recent.set(slot, encoded);
    }
    return encoded;
  }
}
