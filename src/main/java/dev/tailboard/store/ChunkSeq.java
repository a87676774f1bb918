package dev.tailboard.store;

/**
 * A log chunk's number, unique per build, with the fingerprint of its body: what makes a retried
 * {@link EventStore#mutate} answer again instead of appending twice.
 */
public record ChunkSeq(long seq, String fingerprint) {}
