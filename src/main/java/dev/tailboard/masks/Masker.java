package dev.tailboard.masks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces the registered secrets of a build, in every {@link MaskForms form}, by {@link #MASK}.
 * Immutable and thread-safe: the automaton is compiled once, in {@link #of} or {@link #plus}, and a
 * build that registers more values swaps in a new masker.
 *
 * <p>Where matches overlap or touch, their union is masked, one {@code ***} per merged stretch, so
 * the mask does not reveal where one form ends. The result is scanned again until nothing matches,
 * because a replacement can complete a new occurrence (value {@code a***b} in {@code aa***bb}).
 */
public final class Masker {

  /** What a masked stretch of text becomes. */
  public static final String MASK = "***";

  /**
   * Passes of {@link #maskLines} that replace a cross-line match piece by piece; after them lines
   * still matching are replaced whole. A piece of one or two chars grows into {@code ***}, so
   * unlike {@link #mask} this pass is not sure to shorten the text, and could (for contrived
   * values) recreate a match forever; replacing lines whole always ends.
   */
  private static final int PIECE_PASSES = 8;

  private static final Masker NONE = new Masker(List.of(), List.of());

  private final List<String> values;
  private final AhoCorasick automaton;
  private final boolean multiLine;
  private final int longestForm;

  private Masker(List<String> values, List<String> forms) {
    this.values = values;
    this.automaton = forms.isEmpty() ? null : new AhoCorasick(forms);
    this.multiLine = forms.stream().anyMatch(f -> f.indexOf('\n') >= 0);
    this.longestForm = forms.stream().mapToInt(String::length).max().orElse(0);
  }

  /** The masker that masks nothing. */
  public static Masker none() {
    return NONE;
  }

  /**
   * A masker of {@code values}, each accepted by {@link MaskValues#check}; a value registered twice
   * counts once.
   *
   * @throws IllegalArgumentException if a value is refused by {@link MaskValues#check}: masking
   *     {@code ab} everywhere would be a bug of the caller, not a policy
   */
  public static Masker of(Collection<String> values) {
    return NONE.plus(values);
  }

  /** This masker's values and {@code more}; this very masker if {@code more} adds none. */
  public Masker plus(Collection<String> more) {
    Set<String> all = new LinkedHashSet<>(values);
    for (String value : more) {
      String refused = MaskValues.check(value);
      if (refused != null) {
        throw new IllegalArgumentException("not a maskable value: " + refused);
      }
      all.add(value);
    }
    if (all.size() == values.size()) {
      return this;
    }
    Set<String> forms = new LinkedHashSet<>();
    for (String value : all) {
      forms.addAll(MaskForms.of(value));
    }
    return new Masker(List.copyOf(all), List.copyOf(forms));
  }

  /** The number of registered values (not of their forms). */
  public int size() {
    return values.size();
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * Where to cut {@code text}, a long line that must be handed on in pieces, at or before {@code
   * limit}, so that no form is cut in two: the cut holds back the last characters that a form could
   * still be the start of (the rest of it may be in text not read yet), and moves before a form it
   * would fall inside. At least 1, so a cut always makes progress; {@code limit} for an empty
   * masker.
   */
  public int safeCut(String text, int limit) {
    int end = Math.min(limit, text.length());
    if (automaton == null) {
      return end;
    }
    int cut = Math.max(1, Math.min(end, text.length() - (longestForm - 1)));
    int[] stretches = stretches(text);
    if (stretches != null) {
      for (int k = 0; k < stretches[0]; k++) {
        int start = stretches[2 * k + 1];
        int stop = stretches[2 * k + 2];
        if (start < cut && cut < stop) {
          // before the form, or after it if it starts the text (the piece is then a little long)
          cut = start > 0 ? start : stop;
          break;
        }
      }
    }
    return cut;
  }

  /** The registered values, in the order they were first registered. */
  public List<String> values() {
    return values;
  }

  /**
   * {@code text} with every occurrence of every form of every value replaced, overlapping and
   * adjacent ones as one {@link #MASK}, repeated until none is left. The very same instance if
   * nothing matched, so {@code ==} tells whether the text changed.
   */
  public String mask(String text) {
    if (automaton == null) {
      return text;
    }
    String current = text;
    while (true) {
      int[] stretches = stretches(current);
      if (stretches == null) {
        return current;
      }
      // every stretch is at least 4 chars and becomes 3: each pass shortens, so this ends
      current = replace(current, stretches, 0, current.length());
    }
  }

  /**
   * The lines masked as if they were one text joined with {@code \n}, without ever changing the
   * number of lines: a form within a line is masked as by {@link #mask}, and a multi-line form (a
   * value with line breaks, raw) is also found where it spans consecutive lines of the list, and
   * then each line's non-empty part of it becomes {@link #MASK} (the line break stays, so line
   * numbers do not move). Repeated like {@link #mask} until nothing matches. A multi-line value cut
   * between two calls is not seen whole; its lines are forms of their own and still masked.
   *
   * @return the same list instance if no line changed, else a new list whose unchanged lines are
   *     the same instances
   */
  public List<String> maskLines(List<String> lines) {
    if (automaton == null || lines.isEmpty()) {
      return lines;
    }
    if (!multiLine) {
      List<String> out = null;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        String masked = mask(line);
        if (masked != line) {
          if (out == null) {
            out = new ArrayList<>(lines);
          }
          out.set(i, masked);
        }
      }
      return out == null ? lines : out;
    }
    List<String> current = lines;
    for (int pass = 0; ; pass++) {
      int[] stretches = stretches(current);
      if (stretches == null) {
        return current;
      }
      List<String> next = replaceInLines(current, stretches, pass >= PIECE_PASSES);
      if (next == current) {
        // only values MaskValues refuses could match without a change; stop rather than spin
        return current;
      }
      current = next;
    }
  }

  /**
   * The merged matched stretches of {@code text} as {start, end, start, end, ...} preceded by their
   * count; {@code null} (and nothing allocated) if nothing matches.
   */
  private int[] stretches(String text) {
    AhoCorasick ac = automaton;
    int[] found = null;
    int state = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      state = ac.next(state, text.charAt(i));
      int length = ac.longest(state);
      if (length != 0) {
        found = add(found, i + 1 - length, i + 1);
      }
    }
    return found;
  }

  /** As {@link #stretches(String)}, over the lines joined with {@code \n}. */
  private int[] stretches(List<String> lines) {
    AhoCorasick ac = automaton;
    int[] found = null;
    int state = 0;
    int at = 0;
    for (int l = 0; l < lines.size(); l++) {
      if (l > 0) {
        state = ac.next(state, '\n');
        at++;
        int length = ac.longest(state);
        if (length != 0) {
          found = add(found, at - length, at);
        }
      }
      String line = lines.get(l);
      int n = line.length();
      for (int i = 0; i < n; i++) {
        state = ac.next(state, line.charAt(i));
        int length = ac.longest(state);
        if (length != 0) {
          found = add(found, at + i + 1 - length, at + i + 1);
        }
      }
      at += n;
    }
    return found;
  }

  /**
   * Adds the match [start, end) to the merged stretches. Matches arrive by increasing end, the
   * longest one per end, so a new match can only swallow stretches at the top of the list.
   */
  private static int[] add(int[] found, int start, int end) {
    if (found == null) {
      found = new int[1 + 2 * 4];
    }
    int count = found[0];
    while (count > 0 && found[2 * count] >= start) {
      start = Math.min(start, found[2 * count - 1]);
      count--;
    }
    if (1 + 2 * (count + 1) > found.length) {
      found = Arrays.copyOf(found, found.length * 2);
    }
    found[2 * count + 1] = start;
    found[2 * count + 2] = end;
    found[0] = count + 1;
    return found;
  }

  /** {@code text}'s part [from, to) (in the coordinates of the stretches) with them masked. */
  private static String replace(String text, int[] stretches, int from, int to) {
    int first = firstReaching(stretches, from);
    if (first == stretches[0] || stretches[2 * first + 1] >= to) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = from;
    for (int k = first; k < stretches[0]; k++) {
      int start = Math.max(stretches[2 * k + 1], from);
      int end = Math.min(stretches[2 * k + 2], to);
      if (start >= to) {
        break;
      }
      if (start >= end) {
        continue;
      }
      out.append(text, copied - from, start - from).append(MASK);
      copied = end;
    }
    if (copied == from) {
      return text;
    }
    return out.append(text, copied - from, to - from).toString();
  }

  private static List<String> replaceInLines(List<String> lines, int[] stretches, boolean whole) {
    List<String> out = null;
    int at = 0;
    for (int l = 0; l < lines.size(); l++) {
      String line = lines.get(l);
      int end = at + line.length();
      String masked =
          whole ? wholeIfHit(line, stretches, at, end) : replace(line, stretches, at, end);
      if (!masked.equals(line)) {
        if (out == null) {
          out = new ArrayList<>(lines);
        }
        out.set(l, masked);
      }
      at = end + 1;
    }
    return out == null ? lines : out;
  }

  private static String wholeIfHit(String line, int[] stretches, int from, int to) {
    int k = firstReaching(stretches, from);
    return k < stretches[0] && stretches[2 * k + 1] < to ? MASK : line;
  }

  /** The first stretch that ends after {@code from} (stretches are sorted and disjoint). */
  private static int firstReaching(int[] stretches, int from) {
    int lo = 0;
    int hi = stretches[0];
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (stretches[2 * mid + 2] <= from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
