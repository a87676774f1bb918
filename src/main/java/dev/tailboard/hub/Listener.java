package dev.tailboard.hub;

import dev.tailboard.store.StoredEvent;

/**
 * A listener inside this process of one build's live events (a build room's relay of step and
 * status changes), registered with {@link EventHub#listen}. It is not a client connection: it has
 * no heartbeat, no write deadline and nothing to close, and it is not counted among the hub's
 * subscribers (the {@code tailboard.connections} gauge of SSE connections).
 *
 * <p>The hub calls it like a {@link Delivery}: one event at a time, in id order, on a writer
 * thread, never a publisher's. It must return quickly and never wait.
 */
@FunctionalInterface
public interface Listener {

  /** One event of the build, after the ones before it. */
  void onEvent(StoredEvent event);
}
