package dev.tailboard.masks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AhoCorasickTest {

  /** Every (end, length) occurrence, found with indexOf: the oracle. */
  private static Set<List<Integer>> naive(List<String> patterns, String text) {
    Set<List<Integer>> found = new LinkedHashSet<>();
    for (String p : patterns) {
      if (p.isEmpty()) {
        continue;
      }
      for (int at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) {
        found.add(List.of(at + p.length(), p.length()));
      }
    }
    return found;
  }

  private static Set<List<Integer>> automaton(List<String> patterns, String text) {
    Set<List<Integer>> found = new LinkedHashSet<>();
    List<List<Integer>> inOrder = new ArrayList<>();
    new AhoCorasick(patterns)
        .forEachMatch(
            text,
            (end, length) -> {
              inOrder.add(List.of(end, length));
              found.add(List.of(end, length));
            });
    assertThat(inOrder).as("each occurrence once").hasSameSizeAs(found);
    for (int i = 1; i < inOrder.size(); i++) {
      assertThat(inOrder.get(i).get(0)).isGreaterThanOrEqualTo(inOrder.get(i - 1).get(0));
    }
    return found;
  }

  private static String random(Random random, String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  @Test
  void findsWhatIndexOfFindsOnRandomPatternsAndTexts() {
    long seed = Long.getLong("masks.seed", System.nanoTime());
    Random random = new Random(seed);
    // small alphabets give many overlaps and deep failure chains; wide ones the non-ASCII path
    String[] alphabets = {
      "ab", "abc", "abcd*%", "aé€😀\n", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
    };
    for (int round = 0; round < 3000; round++) {
      String alphabet = alphabets[random.nextInt(alphabets.length)];
      List<String> patterns = new ArrayList<>();
      int count = 1 + random.nextInt(random.nextBoolean() ? 4 : 60);
      for (int i = 0; i < count; i++) {
        patterns.add(random(random, alphabet, random.nextInt(9)));
      }
      String text = random(random, alphabet, random.nextInt(300));
      if (random.nextBoolean() && !patterns.get(0).isEmpty()) {
        text =
            text.substring(0, text.length() / 2)
                + patterns.get(0)
                + text.substring(text.length() / 2);
      }
      assertThat(automaton(patterns, text))
          .as("seed %d, patterns %s, text %s", seed, patterns, text)
          .isEqualTo(naive(patterns, text));
    }
  }

  @Test
  void longestIsTheLongestPatternEndingThere() {
    AhoCorasick ac = new AhoCorasick(List.of("he", "she", "his", "hers", "e"));
    int s = 0;
    int[] longest = new int["ushers".length()];
    for (int i = 0; i < longest.length; i++) {
      s = ac.next(s, "ushers".charAt(i));
      longest[i] = ac.longest(s);
    }
    assertThat(longest).containsExactly(0, 0, 0, 3, 0, 4);
  }

  @Test
  void noPatternsMatchNothing() {
    AhoCorasick ac = new AhoCorasick(List.of("", ""));
    assertThat(ac.patterns()).isZero();
    List<Integer> ends = new ArrayList<>();
    ac.forEachMatch("anything", (end, length) -> ends.add(end));
    assertThat(ends).isEmpty();
  }
}
