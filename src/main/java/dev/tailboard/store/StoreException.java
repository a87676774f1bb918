package dev.tailboard.store;

import java.sql.SQLException;

/** A failure of the database under the store; the request fails and nothing is acknowledged. */
public class StoreException extends RuntimeException {
  public StoreException(Throwable cause) {
    super(cause.getMessage(), cause);
  }

  /** True when a unique or other integrity constraint refused the write (SQLState 23xxx). */
  public boolean isConstraintViolation() {
    return getCause() instanceof SQLException sql
        && sql.getSQLState() != null
        && sql.getSQLState().startsWith("23");
  }
}
