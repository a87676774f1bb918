package dev.tailboard.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The data of a {@code log} event: consecutive lines starting at line number {@code first}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogChunk(long first, List<String> lines, String step, String stream, String ts) {}
