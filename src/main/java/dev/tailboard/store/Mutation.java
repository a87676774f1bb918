package dev.tailboard.store;

import java.util.List;

/**
 * What one publish changes: the build's new summary and the events it appends, numbered from the
 * old {@code lastEventId + 1}. {@code reply} is the JSON answer to the publisher, kept with the
 * chunk's {@code seq} (if any) so that a retried chunk gets the same answer. {@code sealedMasks}
 * are secret values registered by this publish, sealed, stored in its transaction; the new summary
 * counts them in {@code maskCount}. {@code annotations} are the annotations the appended lines
 * hold, in log order, stored in the same transaction; the new summary counts them in {@code
 * annotations}.
 */
public record Mutation(
    Build build,
    List<StoredEvent> events,
    String reply,
    List<String> sealedMasks,
    List<Annotation> annotations) {

  public Mutation(Build build, List<StoredEvent> events, String reply) {
    this(build, events, reply, List.of(), List.of());
  }

  public Mutation(Build build, List<StoredEvent> events, String reply, List<String> sealedMasks) {
    this(build, events, reply, sealedMasks, List.of());
  }
}
