package dev.tailboard.masks;

/**
 * Which values may be registered as secrets. A value is refused when masking it would hide ordinary
 * log text rather than a secret, or when it could never be found in a log:
 *
 * <ul>
 *   <li>{@code null} or empty;
 *   <li>containing a NUL character (log text never carries one);
 *   <li>only whitespace (it would mask every indentation of that width);
 *   <li>a single-line value shorter than {@link #MIN_CHARS} characters (code points) — {@code ***}
 *       replacing every {@code abc} makes a log unreadable and protects nothing;
 *   <li>a multi-line value ({@code \n} or {@code \r\n} line breaks) none of whose lines has {@link
 *       #MIN_CHARS} characters besides whitespace: it is masked line by line where it crosses the
 *       reads of a log, so it needs a line that can be masked on its own.
 * </ul>
 */
public final class MaskValues {

  /** The fewest characters (code points) of a registered value, or of a multi-line value's line. */
  public static final int MIN_CHARS = 4;

  private MaskValues() {}

  /**
   * Returns {@code null} if {@code value} may be registered, else a short reason it may not, fit to
   * show to the user who registered it.
   */
  public static String check(String value) {
    if (value == null || value.isEmpty()) {
      return "the value is empty";
    }
    if (value.indexOf('\0') >= 0) {
      return "the value contains a NUL character";
    }
    if (value.isBlank()) {
      return "the value is only whitespace";
    }
    if (value.indexOf('\n') >= 0) {
      for (String line : MaskForms.lines(value)) {
        if (maskable(line)) {
          return null;
        }
      }
      return "no line of the multi-line value has at least " + MIN_CHARS + " characters";
    }
    if (value.codePointCount(0, value.length()) < MIN_CHARS) {
      return "the value is shorter than " + MIN_CHARS + " characters";
    }
    return null;
  }

  /** A line of a multi-line value that is masked on its own. */
  static boolean maskable(String line) {
    return !line.isBlank() && line.codePointCount(0, line.length()) >= MIN_CHARS;
  }
}
