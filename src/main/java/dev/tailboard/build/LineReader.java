package dev.tailboard.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads log lines from a request body as they arrive. Only {@code \n} ends a line (a lone {@code
 * \r} is a progress redraw the viewer needs); invalid UTF-8 becomes U+FFFD. A line longer than
 * {@code maxChars} is returned in pieces so one endless line cannot exhaust memory.
 */
public final class LineReader {

  private final Reader in;
  private final int maxChars;
  private final char[] buffer = new char[8192];
  private int pos;
  private int limit;

  public LineReader(InputStream body, int maxChars) {
    this.in = new InputStreamReader(body, StandardCharsets.UTF_8);
    this.maxChars = maxChars;
  }

  /** The next line without its terminator, or null at the end of the body. */
  public String readLine() throws IOException {
    StringBuilder line = null;
    while (true) {
      if (pos == limit) {
        limit = in.read(buffer);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return line == null ? null : LogLines.stripCarriageReturn(line.toString());
        }
      }
      if (line == null) {
        line = new StringBuilder();
      }
      int start = pos;
      while (pos < limit && buffer[pos] != '\n') {
        pos++;
      }
      line.append(buffer, start, pos - start);
      if (pos < limit) {
        pos++;
        return LogLines.stripCarriageReturn(line.toString());
      }
      if (line.length() >= maxChars) {
        return line.toString();
      }
    }
  }

  /** True if a line can be read without waiting for the client. */
  public boolean ready() throws IOException {
    return pos < limit || in.ready();
  }
}
