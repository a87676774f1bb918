package dev.tailboard.hub;

/**
 * The bounds of one subscription: queued events before merging, queued bytes before a disconnect,
 * the longest a single write may take before the subscriber counts as stalled, and the size of
 * store replay pages, in events and in bytes.
 */
public record HubLimits(
    int queueEvents,
    int queueBytes,
    long writeTimeoutMillis,
    long heartbeatMillis,
    int replayPage,
    int replayPageBytes) {}
