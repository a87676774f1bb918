package dev.tailboard.auth;

import java.security.Principal;
import java.time.Instant;
import java.util.List;

/**
 * Who is calling: the subject of a verified token and what its scope grants, or {@link #ANONYMOUS}.
 * {@code admin} implies every publish and read; a publish glob also grants read on the same
 * projects, since a publisher must be able to follow the builds it publishes. {@code expiresAt} is
 * when its token expires (null: never, as for {@link #ANONYMOUS}): what a request allowed lasts no
 * longer, so the streams it opened end then.
 */
public record Caller(
    String name,
    boolean authenticated,
    boolean admin,
    List<String> publishGlobs,
    List<String> readGlobs,
    Instant expiresAt)
    implements Principal {

  public static final Caller ANONYMOUS =
      new Caller("anonymous", false, false, List.of(), List.of(), null);

  public Caller {
    publishGlobs = List.copyOf(publishGlobs);
    readGlobs = List.copyOf(readGlobs);
  }

  /** A caller whose grant does not expire. */
  public Caller(
      String name,
      boolean authenticated,
      boolean admin,
      List<String> publishGlobs,
      List<String> readGlobs) {
    this(name, authenticated, admin, publishGlobs, readGlobs, null);
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
