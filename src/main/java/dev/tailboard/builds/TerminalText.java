package dev.tailboard.builds;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a terminal shows of a log line: no escape sequences (colours, erase-line, OSC titles and
 * links) and only the text after the last carriage return. The same rules as the page's {@code
 * stripAnsi} and {@code splitCarriageReturns} (app/log-view.js), so a search finds what the reader
 * sees.
 */
public final class TerminalText {

  private static final Pattern ESCAPES =
      Pattern.compile("\u001b\\[[0-?]*[ -/]*[@-~]|\u001b\\][^\u0007\u001b]*(?:\u0007|\u001b\\\\)?");

  private TerminalText() {}

  /** The visible text of {@code line}. */
  public static String shown(String line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    int cr = line.lastIndexOf('\r', end - 1);
    String tail = line.substring(cr + 1, end);
    return tail.indexOf('\u001b') < 0 ? tail : ESCAPES.matcher(tail).replaceAll("");
  }

  /** {@code text} folded for a case-insensitive comparison. */
  public static String fold(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}
