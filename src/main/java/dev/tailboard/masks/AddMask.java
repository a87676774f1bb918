package dev.tailboard.masks;

import java.util.Locale;

/**
 * GitHub Actions' {@code ::add-mask::VALUE} workflow command, by which a step registers a secret it
 * computed (a token it fetched, say) while the build runs. The line that registers it would itself
 * show the value, so it is stored as {@link #stored}.
 */
public final class AddMask {

  private static final String COMMAND = "::add-mask::";

  private AddMask() {}

  /**
   * The value a line registers, with GitHub's command escaping undone ({@code %25}, {@code %0D},
   * {@code %0A}); {@code null} if the line is not an add-mask command. The command may be indented;
   * the value is the rest of the line as is (it may be empty or refused by {@link
   * MaskValues#check}: the caller checks it).
   */
  public static String value(String line) {
    int at = commandEnd(line);
    return at < 0 ? null : unescape(line.substring(at));
  }

  /**
   * The line as stored: an add-mask command with its value as {@code ***}, any other line as is.
   */
  public static String stored(String line) {
    int at = commandEnd(line);
    return at < 0 ? line : line.substring(0, at) + Masker.MASK;
  }

  private static int commandEnd(String line) {
    if (line == null) {
      return -1;
    }
    int i = 0;
    while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
      i++;
    }
    return line.startsWith(COMMAND, i) ? i + COMMAND.length() : -1;
  }

  /** One pass from the left, so {@code %250A} stays the text {@code %0A}. */
  static String unescape(String escaped) {
    if (escaped.indexOf('%') < 0) {
      return escaped;
    }
    StringBuilder out = new StringBuilder(escaped.length());
    int i = 0;
    while (i < escaped.length()) {
      char c = escaped.charAt(i);
      if (c == '%' && i + 3 <= escaped.length()) {
        String code = escaped.substring(i + 1, i + 3).toUpperCase(Locale.ROOT);
        char decoded =
            switch (code) {
              case "25" -> '%';
              case "0D" -> '\r';
              case "0A" -> '\n';
              default -> 0;
            };
        if (decoded != 0) {
          out.append(decoded);
          i += 3;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }
}
