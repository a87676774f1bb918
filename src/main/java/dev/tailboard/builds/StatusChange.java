package dev.tailboard.builds;

/** The data of a {@code status} event. */
public record StatusChange(String status, String ts) {}
