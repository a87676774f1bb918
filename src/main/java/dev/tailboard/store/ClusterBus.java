package dev.tailboard.store;

/**
 * Wake-ups between the nodes that share one database. On PostgreSQL it is {@code LISTEN/NOTIFY}
 * ({@link PgNotifyBus}); on the embedded H2 database there is one node and it carries nothing
 * ({@link SingleNodeBus}).
 *
 * <p>Guarantees: what a node announces or sends reaches the other nodes' listeners, never its own;
 * in the order it was sent per channel; at most once. Nothing is durable here: a listener that was
 * cut off is told {@link Listener#reconnected()} and catches up from the store, which is the
 * record. Callers never wait: announcing and sending only queue.
 */
public interface ClusterBus {

  /** Largest {@link #send} payload: PostgreSQL refuses notifications of 8,000 bytes or more. */
  int MAX_PAYLOAD_BYTES = 7000;

  /** What a node does with the other nodes' news. Called on the bus's own thread, in order. */
  interface Listener {

    /** Another node announced {@code position} on {@code channel} (see {@link #announce}). */
    default void announced(String channel, long position) {}

    /** Another node sent {@code payload} on {@code channel} (see {@link #send}). */
    default void received(String channel, String payload) {}

    /** The bus lost its connection and has it back: announcements may have been missed. */
    default void reconnected() {}
  }

  /** True when other nodes may share the database (the bus carries something). */
  boolean clustered();

  /**
   * True while the bus hears the other nodes (always, on one node). While false, this node's
   * subscribers miss the other nodes' events until it reconnects and catches up: health says so.
   */
  default boolean connected() {
    return true;
  }

  /** This node's id: random, new at every start. */
  String nodeId();

  /**
   * Tells the other nodes that {@code channel} has news up to {@code position}, after the caller
   * committed it. Coalesced: announcements of one channel within a few milliseconds go out as one,
   * with the highest position. Never blocks.
   */
  void announce(String channel, long position);

  /**
   * Sends a small message to the other nodes' listeners (ephemeral room traffic: presence,
   * pointers, cursors). Not coalesced, not stored; dropped if the bus's bounded queue is full or
   * the connection is down. Never blocks.
   *
   * @throws IllegalArgumentException if the payload is over {@link #MAX_PAYLOAD_BYTES} in UTF-8
   */
  void send(String channel, String payload);

  /** Adds a listener for channels starting with {@code prefix}. */
  void listen(String prefix, Listener listener);
}
