package dev.tailboard.auth;

import jakarta.ws.rs.core.SecurityContext;

/**
 * The request's {@link SecurityContext} once {@link TokenFilter} has run: the principal is always a
 * {@link Caller}; transport questions are left to the container's original context.
 */
final class CallerSecurityContext implements SecurityContext {

  static final String ADMIN_ROLE = "admin";

  private final Caller caller;
  private final SecurityContext transport;

  CallerSecurityContext(Caller caller, SecurityContext transport) {
    this.caller = caller;
    this.transport = transport;
  }

  @Override
  public Caller getUserPrincipal() {
    return caller;
  }

  @Override
  public boolean isUserInRole(String role) {
    return ADMIN_ROLE.equals(role) && caller.admin();
  }

  @Override
  public boolean isSecure() {
    return transport != null && transport.isSecure();
  }

  @Override
  public String getAuthenticationScheme() {
    return caller.authenticated() ? "Bearer" : null;
  }
}
