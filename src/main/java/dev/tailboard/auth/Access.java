package dev.tailboard.auth;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The checks resources make before acting: 401 when a caller must identify itself, 403 when its
 * token's scope does not cover the project.
 */
@ApplicationScoped
public class Access {

  private final boolean anonymousRead;
  private final boolean anonymousRooms;

  @Inject
  public Access(Config config) {
    this.anonymousRead = config.bool(Setting.AUTH_ANONYMOUS_READ);
    this.anonymousRooms = config.bool(Setting.AUTH_ANONYMOUS_ROOMS);
  }

  /** For CDI's client proxy only. */
  protected Access() {
    this.anonymousRead = false;
    this.anonymousRooms = false;
  }

  /** The caller of this request, from the SecurityContext TokenFilter installed. */
  public Caller caller(SecurityContext sc) {
    if (sc != null && sc.getUserPrincipal() instanceof Caller caller) {
      return caller;
    }
    return Caller.ANONYMOUS;
  }

  public Caller requirePublish(SecurityContext sc, String project) {
    Caller caller = authenticated(sc);
    if (!caller.canPublish(project)) {
      throw ProblemException.forbidden("Your token may not publish to " + project);
    }
    return caller;
  }

  /**
   * Passes anyone when anonymous reading is enabled, including authenticated callers whose scope
   * does not name the project: a token should never see less than no token.
   */
  public Caller requireRead(SecurityContext sc, String project) {
    Caller caller = caller(sc);
    if (anonymousRead || caller.canRead(project)) {
      return caller;
    }
    if (!caller.authenticated()) {
      throw ProblemException.unauthorized("A token is required to read " + project);
    }
    throw ProblemException.forbidden("Your token may not read " + project);
  }

  /** Whether {@link #requireRead} would pass, for filtering lists and feeds. */
  public boolean mayRead(SecurityContext sc, String project) {
    return mayRead(caller(sc), project);
  }

  /** Whether this caller may read the project (stream it, join its build rooms). */
  public boolean mayRead(Caller caller, String project) {
    return anonymousRead || caller.canRead(project);
  }

  /** Free rooms need any valid token unless anonymous reading is on. */
  public boolean mayJoinFreeRoom(Caller caller) {
    return anonymousRead || caller.authenticated();
  }

  /**
   * Whether this caller, already let into the room, may write in it ({@code chat}, {@code point},
   * {@code cursor}, {@code doc.push}): a valid token with read on the build's project ({@code
   * project}, a build room) or any valid token ({@code project} null, a free room), unless {@code
   * auth.anonymousRooms} lets everyone who may watch write too. The others watch.
   */
  public boolean mayWriteInRoom(Caller caller, String project) {
    if (anonymousRooms) {
      return true;
    }
    return caller.authenticated() && (project == null || caller.canRead(project));
  }

  public Caller requireAdmin(SecurityContext sc) {
    Caller caller = authenticated(sc);
    if (!caller.admin()) {
      throw ProblemException.forbidden("This needs a token with the admin scope");
    }
    return caller;
  }

  private Caller authenticated(SecurityContext sc) {
    Caller caller = caller(sc);
    if (!caller.authenticated()) {
      throw ProblemException.unauthorized("A token is required");
    }
    return caller;
  }
}
