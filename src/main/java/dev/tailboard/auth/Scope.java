package dev.tailboard.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A token's scope, the space-separated words {@code admin}, {@code publish:GLOB} and {@code
 * read:GLOB}. New tokens are checked strictly; scopes inside tokens we already signed are read
 * leniently, so a word added by a later version does not lock older servers out.
 */
record Scope(boolean admin, List<String> publishGlobs, List<String> readGlobs) {

  private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._*/-]+");

  Scope {
    publishGlobs = List.copyOf(publishGlobs);
    readGlobs = List.copyOf(readGlobs);
  }

  /**
   * @throws IllegalArgumentException with a message fit for a 400 detail
   */
  static Scope parseStrict(String text) {
    return parse(text, true);
  }

  static Scope parseLenient(String text) {
    return parse(text, false);
  }

  private static Scope parse(String text, boolean strict) {
    boolean admin = false;
    List<String> publish = new ArrayList<>();
    List<String> read = new ArrayList<>();
    String trimmed = text == null ? "" : text.strip();
    if (trimmed.isEmpty()) {
      if (strict) {
        throw new IllegalArgumentException("scope must not be empty");
      }
      return new Scope(false, publish, read);
    }
    for (String word : trimmed.split("\\s+")) {
      if (word.equals("admin")) {
        admin = true;
      } else if (word.startsWith("publish:") && isGlob(word.substring("publish:".length()))) {
        publish.add(word.substring("publish:".length()));
      } else if (word.startsWith("read:") && isGlob(word.substring("read:".length()))) {
        read.add(word.substring("read:".length()));
      } else if (strict) {
        throw new IllegalArgumentException(
            "scope word '"
                + word
                + "' must be admin, publish:GLOB or read:GLOB with GLOB made of A-Z a-z 0-9 . _ * / -");
      }
    }
    return new Scope(admin, publish, read);
  }

  private static boolean isGlob(String glob) {
    return GLOB.matcher(glob).matches();
  }

  /** The canonical text: single spaces, admin first, then publish, then read. */
  String text() {
    List<String> words = new ArrayList<>();
    if (admin) {
      words.add("admin");
    }
    publishGlobs.forEach(glob -> words.add("publish:" + glob));
    readGlobs.forEach(glob -> words.add("read:" + glob));
    return String.join(" ", words);
  }

  Caller caller(String subject, Instant expiresAt) {
    return new Caller(subject, true, admin, publishGlobs, readGlobs, expiresAt);
  }
}
