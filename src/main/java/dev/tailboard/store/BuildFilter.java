package dev.tailboard.store;

/** A page of the build list: newest first, optionally by project and status, ids below before. */
public record BuildFilter(String project, String status, int limit, Long before) {}
