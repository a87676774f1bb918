package dev.tailboard.rooms;

import jakarta.websocket.CloseReason;

/** The close codes of the room protocol (docs/protocol.md). */
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

  /**
   * The client address holds {@code limits.connectionsPerClient} SSE streams, long-polls and
   * WebSockets already. JSR 356 cannot answer a handshake with 429 (the configurator only adds
   * headers), so the socket is accepted, gets {@code error too_many_connections} and this close.
   */
  public static final CloseReason.CloseCode TOO_MANY_CONNECTIONS =
      CloseReason.CloseCodes.getCloseCode(4430);

  /**
   * The client address is in {@code rooms.maxPerClient} other rooms already: {@code error
   * too_many_rooms}, then this close.
   */
  public static final CloseReason.CloseCode TOO_MANY_ROOMS =
      CloseReason.CloseCodes.getCloseCode(4431);

  /** The connection's token expired: it is closed at its expiry, like a refused token (1008). */
  public static final CloseReason.CloseCode TOKEN_EXPIRED = POLICY;
}
