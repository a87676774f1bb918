package dev.tailboard.builds;

import java.util.ArrayList;
import java.util.List;

/** Splits text into log lines and long lines into pieces, never adding or losing a character. */
public final class LogLines {

  private LogLines() {}

  /**
   * Splits {@code line} into pieces of at most {@code maxBytes} UTF-8 bytes each, on code point
   * boundaries, so concatenating the pieces gives the line back.
   */
  public static List<String> split(String line, int maxBytes) {
    if (line.length() * 3 <= maxBytes || utf8Length(line) <= maxBytes) {
      return List.of(line);
    }
    List<String> pieces = new ArrayList<>();
    int start = 0;
    int bytes = 0;
    for (int i = 0; i < line.length(); ) {
      int cp = line.codePointAt(i);
      int size = utf8Length(cp);
      if (bytes + size > maxBytes) {
        pieces.add(line.substring(start, i));
        start = i;
        bytes = 0;
      }
      bytes += size;
      i += Character.charCount(cp);
    }
    pieces.add(line.substring(start));
    return pieces;
  }

  /** Every line of {@code lines}, each split to at most {@code maxBytes}. */
  public static List<String> splitAll(List<String> lines, int maxBytes) {
    List<String> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      out.addAll(split(line == null ? "" : line, maxBytes));
    }
    return out;
  }

  /** Drops one trailing {@code \r}, so CRLF text reads like LF text; other {@code \r} stay. */
  public static String stripCarriageReturn(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      bytes += utf8Length(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  private static int utf8Length(int cp) {
    if (cp < 0x80) {
      return 1;
    }
    if (cp < 0x800) {
      return 2;
    }
    return cp < 0x10000 ? 3 : 4;
  }
}
