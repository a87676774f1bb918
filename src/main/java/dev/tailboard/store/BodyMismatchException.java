package dev.tailboard.store;

/**
 * An idempotency key or chunk {@code seq} already stored with another body: the request is not a
 * repeat of the first one, and nothing was written.
 */
public class BodyMismatchException extends RuntimeException {

  /** {@code used}: what was reused, e.g. {@code Idempotency-Key "k"} or {@code seq 7}. */
  public BodyMismatchException(String used) {
    super(used);
  }

  /** What was reused, e.g. {@code Idempotency-Key "k"} or {@code seq 7}. */
  public String used() {
    return getMessage();
  }
}
