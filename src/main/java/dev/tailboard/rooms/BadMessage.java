package dev.tailboard.rooms;

/** A frame the protocol refuses: answered with an {@code error} frame, the connection stays. */
final class BadMessage extends RuntimeException {
  final String code;

  BadMessage(String code, String message) {
    super(message);
    this.code = code;
  }
}
