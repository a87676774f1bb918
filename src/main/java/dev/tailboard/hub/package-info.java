/**
 * The event hub every publish goes through: store first, then fan-out to bounded per-subscriber
 * queues drained by the hub's own writer threads, with merging and cut-off for slow subscribers.
 */
package dev.tailboard.hub;
