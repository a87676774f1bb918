package dev.tailboard.room;

import jakarta.websocket.CloseReason;

/** The close codes of the room protocol (SPEC §6). */
public final class CloseCodes {

  private CloseCodes() {}

  public static final CloseReason.CloseCode SHUTDOWN = CloseReason.CloseCodes.GOING_AWAY;
  public static final CloseReason.CloseCode POLICY = CloseReason.CloseCodes.VIOLATED_POLICY;
  public static final CloseReason.CloseCode TOO_BIG = CloseReason.CloseCodes.TOO_BIG;
  public static final CloseReason.CloseCode SERVER_ERROR =
      CloseReason.CloseCodes.UNEXPECTED_CONDITION;

  /** Too many messages: the client slows down before reconnecting. */
  public static final CloseReason.CloseCode RATE_LIMITED =
      CloseReason.CloseCodes.getCloseCode(4429);

  /**
   * The connection's queue of stored messages overflowed (a reader too slow), or its pongs stopped:
   * the client reconnects and resumes with {@code hello.resume}. 1013 "try again later".
   */
  public static final CloseReason.CloseCode TRY_AGAIN = CloseReason.CloseCodes.TRY_AGAIN_LATER;
}
