package dev.tailboard.build;

/** The answer to a log append: the line numbers stored (from 1) and the build's last event id. */
public record AppendReply(long first, long last, long lastEventId) {}
