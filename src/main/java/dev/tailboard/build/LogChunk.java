package dev.tailboard.build;

import java.util.List;

/** The data of a {@code log} event: consecutive lines starting at line number {@code first}. */
public record LogChunk(long first, List<String> lines, String step, String stream, String ts) {}
