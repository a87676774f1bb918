package dev.tailboard.builds;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a log line is normalised before two builds' logs are compared (docs/failures.md, "What
 * changed since the last green run"), so that what differs in every run — the time, how long things
 * took, commit and container ids, temporary directories — does not make a line new:
 *
 * <ol>
 *   <li>the text a terminal shows ({@link TerminalText#shown}: no ANSI escapes, only what the last
 *       {@code \r} redraw left);
 *   <li>timestamps → {@code <time>}: ISO-8601 date-times ({@code 2024-01-01T12:00:00.123Z}, with a
 *       space instead of the {@code T}, with an offset), bare dates {@code 2024-01-01}, times of
 *       day {@code 12:00:00} and {@code 12:00:00.123};
 *   <li>durations → {@code <duration>}: a number and a unit ({@code ns us µs ms s sec secs second
 *       seconds m min mins minute minutes h hour hours}), with or without a space, and runs of them
 *       ({@code 2m 3s}, {@code 1h 2m 3.5s});
 *   <li>temporary paths → {@code <tmp>}, up to the next space, quote or closing bracket: {@code
 *       /tmp/…}, {@code /var/folders/…} and {@code /private/var/folders/…}, {@code
 *       X:\Users\…\AppData\Local\Temp\…}, and any path with a {@code tmp.XXXXXX} or {@code
 *       tmpXXXXXXXX} segment (mktemp, Python's tempfile);
 *   <li>hex ids → {@code <hex>}: UUIDs, and runs of 7 or more hex digits that hold at least one
 *       digit and one letter (commit SHAs, container and image ids), as whole words;
 *   <li>trailing whitespace dropped and each run of spaces and tabs made one space.
 * </ol>
 *
 * Where two forms could match at the same place, the earlier one in this list wins; a match is
 * replaced whole and the scan goes on after it.
 */
public final class DiffRule {

  /** The rule's name and version, in every diff answer; a change to the rule changes it. */
  public static final String NAME = "tailboard-diff-v1";

  private static final String HEX = "[0-9a-fA-F]";
  private static final String DURATION_UNIT =
      "(?:ns|us|µs|ms|s|secs?|seconds?|m|mins?|minutes?|h|hours?)";
  private static final String DURATION = "\\d+(?:\\.\\d+)?[ ]?" + DURATION_UNIT + "(?![\\w.])";
  private static final String PATH_REST = "[^\\s'\"`)\\]}>,;]*";

  private static final Pattern VOLATILE =
      Pattern.compile(
          String.join(
              "|",
              // 1: date-times and dates
              "(?<time>(?<![\\w.])\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?"
                  + "(?:Z|[+-]\\d{2}:?\\d{2})?)?(?![\\w:])"
                  // times of day
                  + "|(?<![\\w.:])\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?![\\w:]))",
              // 2: durations, alone or in runs
              "(?<duration>(?<![\\w.])" + DURATION + "(?:[ ]?" + DURATION + ")*)",
              // 3: temporary paths
              "(?<tmp>(?<![\\w/])(?:/private)?/var/folders/"
                  + PATH_REST
                  + "|(?<![\\w/.])/tmp/"
                  + PATH_REST
                  + "|\\b[A-Za-z]:\\\\Users\\\\[^\\\\\\s]+\\\\AppData\\\\Local\\\\Temp\\\\"
                  + PATH_REST
                  + "|(?<!\\S)[^\\s'\"`(\\[{<]*[/\\\\]tmp(?:\\.[A-Za-z0-9]{6,}|[a-z0-9_]{8,})"
                  + "(?![A-Za-z0-9])"
                  + PATH_REST
                  + ")",
              // 4: hex ids
              "(?<hex>\\b"
                  + HEX
                  + "{8}-"
                  + HEX
                  + "{4}-"
                  + HEX
                  + "{4}-"
                  + HEX
                  + "{4}-"
                  + HEX
                  + "{12}\\b"
                  + "|\\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])"
                  + HEX
                  + "{7,}\\b)"));

  private static final Pattern SPACES = Pattern.compile("[ \\t]{2,}|\\t");

  private DiffRule() {}

  /** {@code line} (as stored) normalised by the rule. */
  public static String normalise(String line) {
    String text = TerminalText.shown(line);
    if (mayHoldVolatile(text)) {
      text = replaceVolatile(text);
    }
    int end = text.length();
    while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    text = text.substring(0, end);
    if (text.indexOf('\t') >= 0 || text.contains("  ")) {
      text = SPACES.matcher(text).replaceAll(" ");
    }
    return text;
  }

  /** Every form the rule replaces holds a digit or is a temporary path: a cheap test first. */
  private static boolean mayHoldVolatile(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return text.contains("tmp") || text.contains("/var/folders/") || text.contains("\\Temp\\");
  }

  /**
   * {@code text} with every form replaced. The same as {@code VOLATILE.matcher(text).find()} in a
   * loop, but the pattern is tried only where a match can start — every form begins at the start of
   * a word (after a character that is not a letter, digit or {@code _}), with a digit, a hex letter
   * or {@code /}, or with any character when the line holds {@code tmp} or {@code :\} — so a line
   * costs a few attempts per word instead of several per character.
   */
  private static String replaceVolatile(String text) {
    Matcher m = VOLATILE.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    boolean anyStart = text.contains("tmp") || text.contains(":\\");
    StringBuilder out = null;
    int last = 0;
    int length = text.length();
    int i = 0;
    while (i < length) {
      char c = text.charAt(i);
      boolean wordStart = i == 0 || !isWordChar(text.charAt(i - 1));
      if (wordStart && (anyStart || c == '/' || isHexDigit(c))) {
        m.region(i, length);
        if (m.lookingAt()) {
          if (out == null) {
            out = new StringBuilder(length);
          }
          out.append(text, last, i).append(placeholder(m));
          last = m.end();
          i = Math.max(m.end(), i + 1);
          continue;
        }
      }
      i++;
    }
    return out == null ? text : out.append(text, last, length).toString();
  }

  private static String placeholder(Matcher m) {
    if (m.start("time") >= 0) {
      return "<time>";
    }
    if (m.start("duration") >= 0) {
      return "<duration>";
    }
    return m.start("tmp") >= 0 ? "<tmp>" : "<hex>";
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
