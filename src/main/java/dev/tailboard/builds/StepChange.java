package dev.tailboard.builds;

/** The data of a {@code step} event; {@code line} is the log line the step starts or ends at. */
public record StepChange(String name, String status, long line, String ts) {}
