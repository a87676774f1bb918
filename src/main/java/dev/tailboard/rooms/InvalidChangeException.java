package dev.tailboard.rooms;

/**
 * Changes that cannot be accepted: their JSON is not a CodeMirror change set, or they were made for
 * a document of another length. The message says which part is wrong and never echoes inserted
 * text, so it is safe to send back to the client that sent the changes.
 */
public class InvalidChangeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidChangeException(String message) {
    super(message);
  }
}
