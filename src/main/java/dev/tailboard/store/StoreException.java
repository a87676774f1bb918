package dev.tailboard.store;

/** A failure of the database under the store; the request fails and nothing is acknowledged. */
public class StoreException extends RuntimeException {
  public StoreException(Throwable cause) {
    super(cause.getMessage(), cause);
  }
}
