package dev.tailboard.builds;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which log lines report an error: the rules of docs/failures.md ("Error lines"), applied at
 * ingestion so that a client needs no scan. Conservative: a line is an error only on a signal that
 * tools use for errors, not on the word "error" anywhere ({@code 0 errors}, {@code -Werror} and
 * {@code onError} are not errors).
 */
public final class ErrorLines {

  /** SGR sequences: ESC [ parameters m. */
  private static final Pattern SGR = Pattern.compile("\u001b\\[([0-9;:]*)m");

  /** Any other escape sequence (not an SGR), skipped when looking for red text. */
  private static final Pattern OTHER_ESCAPE =
      Pattern.compile("\u001b\\[[0-?]*[ -/]*[@-~]|\u001b\\][^\u0007\u001b]*(?:\u0007|\u001b\\\\)?");

  /** An exit code line; group 1 is the code. */
  private static final Pattern EXIT_CODE =
      Pattern.compile(
          "(?i)(?:exit(?:ed)?\\s+(?:with\\s+)?(?:exit\\s+)?(?:code|status)|exit\\s+code)\\s*:?\\s*(-?\\d+)");

  /** {@code error:} / {@code [error]} any case at a word start; {@code ERROR} as a word. */
  private static final Pattern ERROR_WORD =
      Pattern.compile("(?<![\\p{L}\\p{N}_-])(?:(?i:error)(?::|\\])|ERROR(?![\\p{L}\\p{N}_-]))");

  /** npm's {@code ERR!} at a word start. */
  private static final Pattern NPM = Pattern.compile("(?<![\\p{L}\\p{N}_-])ERR!");

  /** {@code FAIL} or {@code FAILED} as an upper-case word (not FAIL_FAST, not FAILURES). */
  private static final Pattern FAIL =
      Pattern.compile("(?<![\\p{L}\\p{N}_-])FAIL(?:ED)?(?![\\p{L}\\p{N}_-])");

  private static final String CROSS_MARKS = "\u2717\u2718\u2716\u274c";

  /**
   * Rules that match at the start of the line as shown, after blanks: {@code error } (any case, a
   * word of its own), {@code ::error}, and a thrown exception or error type with its message
   * ({@code TypeError: x}, {@code java.lang.IllegalStateException: x}).
   */
  private static final Pattern START =
      Pattern.compile(
          "^\\s*(?:(?i:error)\\s"
              + "|::error(?:\\s|::|$)"
              + "|(?:[A-Za-z_$][\\w$]*\\.)*[A-Z][\\w$]*(?:Error|Exception):(?:\\s|$))");

  private ErrorLines() {}

  /** The 0-based indexes of the error lines among {@code lines}, ascending; empty when none. */
  public static List<Integer> indexes(List<String> lines) {
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (isError(lines.get(i))) {
        found.add(i);
      }
    }
    return found;
  }

  /**
   * True if {@code line} (as stored, escapes and all) reports an error. Every line of a log passes
   * here under its build's lock, so each rule runs only on lines holding its literal part.
   */
  public static boolean isError(String line) {
    String shown = TerminalText.shown(line);
    if (shown.contains("xit") || shown.contains("XIT")) {
      Matcher exit = EXIT_CODE.matcher(shown);
      if (exit.find()) {
        // an exit code line is decided by its code alone: "Error: ... exit code 0." is no error
        return !isZero(exit.group(1));
      }
    }
    if (line.indexOf('\u001b') >= 0
        && (line.contains("31") || line.contains("91"))
        && hasRedText(line)) {
      return true;
    }
    return hasErrorText(shown);
  }

  private static boolean hasErrorText(String shown) {
    boolean error = shown.contains("rror") || shown.contains("RROR");
    if (error && ERROR_WORD.matcher(shown).find()) {
      return true;
    }
    if (shown.contains("ERR!") && NPM.matcher(shown).find()) {
      return true;
    }
    if (shown.contains("FAIL") && FAIL.matcher(shown).find()) {
      return true;
    }
    for (int i = 0; i < CROSS_MARKS.length(); i++) {
      if (shown.indexOf(CROSS_MARKS.charAt(i)) >= 0) {
        return true;
      }
    }
    if (shown.contains("Traceback (most recent call last)")
        || shown.contains("Exception in thread ")) {
      return true;
    }
    return (error || shown.contains("xception")) && START.matcher(shown).find();
  }

  private static boolean isZero(String code) {
    return code.replace("-", "").chars().allMatch(c -> c == '0');
  }

  /**
   * True if some visible, non-blank text is written in a red foreground (SGR 31 or 91, alone or in
   * a combined code such as {@code 1;31}), after the last carriage return as a terminal shows it.
   */
  static boolean hasRedText(String line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    boolean red = false;
    int i = 0;
    int shownFrom = line.lastIndexOf('\r', end - 1) + 1;
    Matcher sgr = SGR.matcher(line);
    Matcher other = OTHER_ESCAPE.matcher(line);
    while (i < end) {
      char ch = line.charAt(i);
      if (ch == '\u001b') {
        if (sgr.find(i) && sgr.start() == i) {
          red = redAfter(red, sgr.group(1));
          i = sgr.end();
          continue;
        }
        if (other.find(i) && other.start() == i) {
          i = other.end();
          continue;
        }
      } else if (red && i >= shownFrom && !Character.isWhitespace(ch)) {
        return true;
      }
      i++;
    }
    return false;
  }

  /** Whether the foreground is red after the SGR parameters {@code params}. */
  private static boolean redAfter(boolean red, String params) {
    if (params.isEmpty()) {
      return false;
    }
    String[] codes = params.split("[;:]", -1);
    for (int k = 0; k < codes.length; k++) {
      int code = codes[k].isEmpty() ? 0 : parse(codes[k]);
      if (code == 38 || code == 48 || code == 58) {
        // extended colour: 5;n or 2;r;g;b follow and are no codes of their own
        if (code == 38) {
          red = false;
        }
        k += k + 1 < codes.length && "2".equals(codes[k + 1]) ? 4 : 2;
      } else if (code == 31 || code == 91) {
        red = true;
      } else if (code == 0
          || code == 39
          || (code >= 30 && code <= 37)
          || (code >= 90 && code <= 97)) {
        red = false;
      }
    }
    return red;
  }

  private static int parse(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
