package dev.tailboard.store;

import java.security.SecureRandom;

/** Random ids of nodes and databases: short, so they cost little in every message. */
final class NodeIds {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

  private NodeIds() {}

  static String next() {
    return next(10);
  }

  static String next(int length) {
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < length; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
