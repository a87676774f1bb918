/**
 * The event hub every publish goes through: store first, then fan-out to bounded per-subscriber
 * queues drained by the hub's own writer threads, with merging and cut-off for slow subscribers. A
 * subscription follows a typed {@link dev.tailboard.hub.Topic} (one build, or the feed); a client
 * connection is a {@link dev.tailboard.hub.Delivery}, a listener inside the process (a build room's
 * relay) a {@link dev.tailboard.hub.Listener}, which is not counted as a connection.
 *
 * <p>Package rule: below the features. It imports only {@code store}, {@code config}, {@code
 * metrics} and {@code support}; never {@code builds}, {@code rooms} or the transport. See
 * docs/architecture.md.
 */
package dev.tailboard.hub;
