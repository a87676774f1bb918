package dev.tailboard.auth;

/**
 * A token that is present but cannot be trusted. The message is short and safe to show as a 401
 * detail: it never contains the token itself.
 */
public class InvalidTokenException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidTokenException(String message) {
    super(message);
  }

  public InvalidTokenException(String message, Throwable cause) {
    super(message, cause);
  }
}
