package dev.tailboard.auth;

import java.security.Principal;
import java.util.List;

/**
 * Who is calling: the subject of a verified token and what its scope grants, or {@link #ANONYMOUS}.
 * {@code admin} implies every publish and read; a publish glob also grants read on the same
 * projects, since a publisher must be able to follow the builds it publishes.
 */
public record Caller(
    String name,
    boolean authenticated,
    boolean admin,
    List<String> publishGlobs,
    List<String> readGlobs)
    implements Principal {

  public static final Caller ANONYMOUS =
      new Caller("anonymous", false, false, List.of(), List.of());

  public Caller {
    publishGlobs = List.copyOf(publishGlobs);
    readGlobs = List.copyOf(readGlobs);
  }

  @Override
  public String getName() {
    return name;
  }

  public boolean canPublish(String project) {
    return admin || ProjectGlob.anyMatches(publishGlobs, project);
  }

  /** By scope only; whether anonymous reading is enabled is {@link Access}'s business. */
  public boolean canRead(String project) {
    return canPublish(project) || ProjectGlob.anyMatches(readGlobs, project);
  }
}
