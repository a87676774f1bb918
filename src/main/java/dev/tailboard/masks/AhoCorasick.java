package dev.tailboard.masks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Aho–Corasick automaton over {@code char}s: finds every occurrence of every pattern in one pass,
 * so a line is scanned once however many forms are registered. Immutable after construction, so one
 * instance serves every thread.
 *
 * <p>Layout, chosen for a scan of mostly non-matching log text: the characters that occur in some
 * pattern are numbered 1..k (ASCII through a table, the rest by binary search) and every other
 * character is class 0, which can only lead back to the root. The root and its children, where a
 * scan spends nearly all its time, have dense rows (a complete transition function, no failure
 * links to follow); deeper states keep their few children in sorted arrays and fall back along
 * failure links.
 */
final class AhoCorasick {

  /** Receives one occurrence: it ends before {@code end} and is {@code length} chars long. */
  @FunctionalInterface
  interface Matches {
    void match(int end, int length);
  }

  private static final int NONE = -1;

  private final int[] asciiClass = new int[128];
  private final char[] wideChars;
  private final int[] wideClass;
  private final int classes;

  /**
   * Dense rows: {@code dense[denseRow[s] * classes + c]} is the complete transition of state s on
   * class c, for states with a row ({@code denseRow[s] >= 0}).
   */
  private final int[] denseRow;

  private final int[] dense;

  // sparse children of the other states: first[s]..first[s+1] in label/target, labels ascending
  private final int[] first;
  private final int[] label;
  private final int[] target;
  private final int[] fail;

  /** The length of the pattern a state spells if it is the end of one, else 0. */
  private final int[] own;

  /** The longest pattern that ends at a state, through its failure chain; 0 if none. */
  private final int[] longest;

  /** The nearest state on the failure chain (excluding the state itself) that ends a pattern. */
  private final int[] outLink;

  private final int patterns;

  AhoCorasick(Collection<String> patterns) {
    TreeSet<Character> alphabet = new TreeSet<>();
    List<String> distinct = new ArrayList<>();
    for (String p : new java.util.LinkedHashSet<>(patterns)) {
      if (!p.isEmpty()) {
        distinct.add(p);
        for (int i = 0; i < p.length(); i++) {
          alphabet.add(p.charAt(i));
        }
      }
    }
    this.patterns = distinct.size();
    int wide = (int) alphabet.stream().filter(c -> c >= 128).count();
    wideChars = new char[wide];
    wideClass = new int[wide];
    int next = 1;
    int w = 0;
    for (char c : alphabet) {
      if (c < 128) {
        asciiClass[c] = next++;
      } else {
        wideChars[w] = c;
        wideClass[w++] = next++;
      }
    }
    classes = next;

    // the trie, with its edges in a map while it grows
    Map<Long, Integer> edges = new HashMap<>();
    List<Integer> ownLength = new ArrayList<>();
    List<Integer> depth = new ArrayList<>();
    ownLength.add(0);
    depth.add(0);
    for (String p : distinct) {
      int s = 0;
      for (int i = 0; i < p.length(); i++) {
        long key = ((long) s << 20) | classOf(p.charAt(i));
        Integer t = edges.get(key);
        if (t == null) {
          t = ownLength.size();
          ownLength.add(0);
          depth.add(i + 1);
          edges.put(key, t);
        }
        s = t;
      }
      ownLength.set(s, p.length());
    }
    int states = ownLength.size();
    own = new int[states];
    for (int s = 0; s < states; s++) {
      own[s] = ownLength.get(s);
    }

    long[] sorted = new long[edges.size()];
    int e = 0;
    for (Long key : edges.keySet()) {
      sorted[e++] = key;
    }
    Arrays.sort(sorted);
    first = new int[states + 1];
    label = new int[sorted.length];
    target = new int[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      int s = (int) (sorted[i] >>> 20);
      first[s + 1]++;
      label[i] = (int) (sorted[i] & 0xFFFFF);
      target[i] = edges.get(sorted[i]);
    }
    for (int s = 0; s < states; s++) {
      first[s + 1] += first[s];
    }

    // dense rows for the root and depth 1; they are filled in breadth-first order below
    denseRow = new int[states];
    Arrays.fill(denseRow, NONE);
    int rows = 0;
    for (int s = 0; s < states; s++) {
      if (depth.get(s) <= 1) {
        denseRow[s] = rows++;
      }
    }
    dense = new int[rows * classes];

    fail = new int[states];
    longest = new int[states];
    outLink = new int[states];
    Arrays.fill(outLink, NONE);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(0);
    while (!queue.isEmpty()) {
      int s = queue.poll();
      for (int i = first[s]; i < first[s + 1]; i++) {
        int t = target[i];
        int f = s == 0 ? 0 : next(fail[s], label[i]);
        fail[t] = f;
        longest[t] = own[t] != 0 ? own[t] : longest[f];
        outLink[t] = own[f] != 0 ? f : outLink[f];
        queue.add(t);
      }
      if (denseRow[s] != NONE) {
        // complete the row now: fail[s] is shallower, so its transitions are already final
        int base = denseRow[s] * classes;
        for (int c = 1; c < classes; c++) {
          int direct = child(s, c);
          dense[base + c] = direct != NONE ? direct : s == 0 ? 0 : next(fail[s], c);
        }
      }
    }
  }

  /** The number of distinct non-empty patterns. */
  int patterns() {
    return patterns;
  }

  /** The class of a char: 0 for a char in no pattern. */
  int classOf(char c) {
    if (c < 128) {
      return asciiClass[c];
    }
    int i = Arrays.binarySearch(wideChars, c);
    return i < 0 ? 0 : wideClass[i];
  }

  /** The state after reading {@code c} in state {@code s}. The start state is 0. */
  int next(int s, char c) {
    return next(s, c < 128 ? asciiClass[c] : classOf(c));
  }

  private int next(int s, int c) {
    if (c == 0) {
      return 0;
    }
    while (true) {
      int row = denseRow[s];
      if (row != NONE) {
        return dense[row * classes + c];
      }
      int t = child(s, c);
      if (t != NONE) {
        return t;
      }
      s = fail[s];
    }
  }

  private int child(int s, int c) {
    int lo = first[s];
    int hi = first[s + 1];
    if (hi - lo <= 8) {
      for (int i = lo; i < hi; i++) {
        if (label[i] == c) {
          return target[i];
        }
      }
      return NONE;
    }
    hi--;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int l = label[mid];
      if (l < c) {
        lo = mid + 1;
      } else if (l > c) {
        hi = mid - 1;
      } else {
        return target[mid];
      }
    }
    return NONE;
  }

  /** The length of the longest pattern ending at state {@code s} (where a scan stands), or 0. */
  int longest(int s) {
    return longest[s];
  }

  /** Reports every occurrence of every pattern in {@code text}, in order of their ends. */
  void forEachMatch(CharSequence text, Matches sink) {
    int s = 0;
    for (int i = 0; i < text.length(); i++) {
      s = next(s, text.charAt(i));
      if (longest[s] != 0) {
        for (int t = own[s] != 0 ? s : outLink[s]; t != NONE; t = outLink[t]) {
          sink.match(i + 1, own[t]);
        }
      }
    }
  }
}
