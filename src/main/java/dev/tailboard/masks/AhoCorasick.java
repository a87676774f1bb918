package dev.tailboard.masks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

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
    List<String> distinct = new ArrayList<>();
    int chars = 0;
    for (String p : new LinkedHashSet<>(patterns)) {
      if (!p.isEmpty()) {
        distinct.add(p);
        chars += p.length();
      }
    }
    this.patterns = distinct.size();

    // the alphabet: every char of a pattern, sorted and numbered from 1
    char[] all = new char[chars];
    int n = 0;
    for (String p : distinct) {
      p.getChars(0, p.length(), all, n);
      n += p.length();
    }
    Arrays.sort(all);
    int next = 1;
    int wide = 0;
    char[] wideAll = new char[chars];
    int[] wideAllClass = new int[chars];
    for (int i = 0; i < n; i++) {
      char c = all[i];
      if (i > 0 && all[i - 1] == c) {
        continue;
      }
      if (c < 128) {
        asciiClass[c] = next++;
      } else {
        wideAll[wide] = c;
        wideAllClass[wide++] = next++;
      }
    }
    wideChars = Arrays.copyOf(wideAll, wide);
    wideClass = Arrays.copyOf(wideAllClass, wide);
    classes = next;

    // the trie; while it grows a state's children are a linked list (siblings are few but at the
    // root, and the root's are found once per pattern)
    int capacity = chars + 1;
    int[] firstChild = new int[capacity];
    int[] sibling = new int[capacity];
    int[] edge = new int[capacity];
    int[] ownLength = new int[capacity];
    int[] depth = new int[capacity];
    Arrays.fill(firstChild, NONE);
    int states = 1;
    for (String p : distinct) {
      int s = 0;
      for (int i = 0; i < p.length(); i++) {
        int c = classOf(p.charAt(i));
        int t = firstChild[s];
        while (t != NONE && edge[t] != c) {
          t = sibling[t];
        }
        if (t == NONE) {
          t = states++;
          edge[t] = c;
          depth[t] = i + 1;
          sibling[t] = firstChild[s];
          firstChild[s] = t;
        }
        s = t;
      }
      ownLength[s] = p.length();
    }
    own = Arrays.copyOf(ownLength, states);

    // children as sorted arrays
    first = new int[states + 1];
    label = new int[states - 1];
    target = new int[states - 1];
    int at = 0;
    for (int s = 0; s < states; s++) {
      first[s] = at;
      for (int t = firstChild[s]; t != NONE; t = sibling[t]) {
        // insertion by label: lists are short but at the root
        int i = at++;
        while (i > first[s] && label[i - 1] > edge[t]) {
          label[i] = label[i - 1];
          target[i] = target[i - 1];
          i--;
        }
        label[i] = edge[t];
        target[i] = t;
      }
    }
    first[states] = at;

    // dense rows for the root and depth 1; they are filled in breadth-first order below
    denseRow = new int[states];
    Arrays.fill(denseRow, NONE);
    int rows = 0;
    for (int s = 0; s < states; s++) {
      if (depth[s] <= 1) {
        denseRow[s] = rows++;
      }
    }
    dense = new int[rows * classes];

    fail = new int[states];
    longest = new int[states];
    outLink = new int[states];
    Arrays.fill(outLink, NONE);
    int[] queue = new int[states];
    int head = 0;
    int tail = 1;
    while (head < tail) {
      int s = queue[head++];
      for (int i = first[s]; i < first[s + 1]; i++) {
        int t = target[i];
        int f = s == 0 ? 0 : next(fail[s], label[i]);
        fail[t] = f;
        longest[t] = own[t] != 0 ? own[t] : longest[f];
        outLink[t] = own[f] != 0 ? f : outLink[f];
        queue[tail++] = t;
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
