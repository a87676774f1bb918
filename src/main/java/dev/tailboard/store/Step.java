package dev.tailboard.store;

/** One step of a build: where in the log it started and, once finished, its status. */
public record Step(String name, String status, long line, String startedAt, String finishedAt) {}
