package dev.tailboard.store;

import java.security.SecureRandom;

/** Random node ids: short, so they cost little in every notification. */
final class NodeIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  private NodeIds() {}

  static String next() {
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
