package dev.tailboard.builds;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts a request body into log lines as its bytes arrive, in whatever pieces the network delivers
 * them: the body is pushed in ({@link #feed}) rather than pulled, so a non-blocking read never
 * waits here for the rest of a line or of a character. Only {@code \n} ends a line (a lone {@code
 * \r} is a progress redraw the viewer needs); invalid UTF-8 becomes U+FFFD, and a character split
 * between two pieces is joined again. A line longer than {@code maxChars} is handed on in pieces so
 * one endless line cannot exhaust memory; the pieces concatenate to the line.
 */
public final class LineReader {

  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final ByteBuffer bytes = ByteBuffer.allocate(8192);
  private final CharBuffer chars = CharBuffer.allocate(8192);
  private final StringBuilder line = new StringBuilder();
  private final int maxChars;
  private final Consumer<String> sink;
  private final Cut cut;

  /**
   * Where a line at {@code maxChars} is cut (at most its length, at least 1); what is after the cut
   * starts the next piece. By default the whole of it goes.
   */
  @FunctionalInterface
  public interface Cut {
    int at(String line, int maxChars);
  }

  private boolean open;
  private boolean continued;

  public LineReader(int maxChars, Consumer<String> sink) {
    this(maxChars, sink, (line, max) -> line.length());
  }

  /** A reader whose long lines are cut where {@code cut} says (a secret is never cut in two). */
  public LineReader(int maxChars, Consumer<String> sink, Cut cut) {
    this.maxChars = maxChars;
    this.sink = sink;
    this.cut = cut;
  }

  /** Every line of a whole body, the last one also without a terminator. */
  public static List<String> lines(byte[] body, int maxChars) {
    List<String> lines = new ArrayList<>();
    LineReader reader = new LineReader(maxChars, lines::add);
    reader.feed(body, 0, body.length);
    reader.end();
    return lines;
  }

  /** Takes the next bytes of the body; hands every line they complete to the sink. */
  public void feed(byte[] data, int offset, int length) {
    int at = offset;
    int left = length;
    while (left > 0) {
      int n = Math.min(left, bytes.remaining());
      bytes.put(data, at, n);
      at += n;
      left -= n;
      bytes.flip();
      decode(false);
      // an unfinished character stays for the next piece
      bytes.compact();
    }
  }

  /**
   * The body is complete: an unfinished character becomes U+FFFD and text after the last {@code \n}
   * is the last line. Not called for a body that broke off, whose last line may be cut short.
   */
  public void end() {
    bytes.flip();
    decode(true);
    while (decoder.flush(chars).isOverflow()) {
      drain();
    }
    drain();
    bytes.clear();
    if (open) {
      endLine();
    }
  }

  private void decode(boolean last) {
    CoderResult result;
    do {
      result = decoder.decode(bytes, chars, last);
      drain();
    } while (result.isOverflow());
  }

  private void drain() {
    chars.flip();
    while (chars.hasRemaining()) {
      char c = chars.get();
      if (c == '\n') {
        endLine();
        continue;
      }
      // Cut before a character that would pass the bound, never between the halves of a
      // surrogate pair, and not right before a \r that may belong to a CRLF.
      if (line.length() >= maxChars
          && (c != '\r' || line.length() > maxChars)
          && !Character.isHighSurrogate(line.charAt(line.length() - 1))) {
        piece();
        continued = true;
      }
      line.append(c);
      open = true;
    }
    chars.clear();
  }

  private void endLine() {
    String text = LogLines.stripCarriageReturn(line.toString());
    // the CR of a CRLF alone after a cut: the line is complete, an empty piece would add a line
    if (continued && text.isEmpty()) {
      line.setLength(0);
      open = false;
    } else {
      emit(text);
    }
    continued = false;
  }

  /** Hands on the line so far up to where {@link #cut} says; the rest starts the next piece. */
  private void piece() {
    String text = line.toString();
    int at = Math.max(1, Math.min(text.length(), cut.at(text, maxChars)));
    if (at < text.length() && Character.isLowSurrogate(text.charAt(at)) && at > 1) {
      at--; // never between the halves of a surrogate pair
    }
    emit(text.substring(0, at));
    line.append(text, at, text.length());
    open = line.length() > 0;
  }

  private void emit(String text) {
    line.setLength(0);
    open = false;
    sink.accept(text);
  }
}
