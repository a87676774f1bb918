package dev.tailboard.masks;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The strings searched for when a value is registered: a secret leaks as easily through a tool that
 * base64-encodes, URL-encodes or JSON-escapes it as it does raw, so each of those spellings is
 * masked too.
 */
public final class MaskForms {

  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
  private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

  private MaskForms() {}

  /**
   * The distinct forms of {@code value}, the value itself first, none shorter than {@link
   * MaskValues#MIN_CHARS} chars:
   *
   * <ul>
   *   <li>the value;
   *   <li>its standard and URL-safe base64 at the three alignments it can have inside a longer
   *       base64 text (value at byte offset 0, 1 or 2 mod 3), without the characters shared with
   *       the bytes around it and without padding;
   *   <li>{@link URLEncoder} (form encoding, UTF-8), and RFC 3986 percent-encoding with upper and
   *       lower case hex;
   *   <li>the JSON string escaping Jackson writes, and an ASCII-only one with {@code \}{@code
   *       uXXXX} for non-ASCII characters (upper and lower case hex).
   * </ul>
   *
   * <p>A value with line breaks also yields, after the forms of the whole value, those of the value
   * with {@code \r\n} as {@code \n} (log lines arrive without their CR) and those of each of its
   * lines that {@link MaskValues#check} counts (at least 4 characters, not only whitespace), so a
   * multi-line secret is masked whole where it can be seen whole and line by line everywhere else.
   */
  public static List<String> of(String value) {
    Set<String> forms = new LinkedHashSet<>();
    addForms(value, forms);
    if (value.indexOf('\n') >= 0) {
      String lf = value.replace("\r\n", "\n");
      addForms(lf, forms);
      for (String line : lines(value)) {
        if (MaskValues.maskable(line)) {
          addForms(line, forms);
        }
      }
    }
    forms.removeIf(f -> f.length() < MaskValues.MIN_CHARS);
    return List.copyOf(forms);
  }

  /** The lines of a value, without the CR of a CRLF. */
  static List<String> lines(String value) {
    List<String> lines = new ArrayList<>();
    int from = 0;
    while (true) {
      int nl = value.indexOf('\n', from);
      String line = nl < 0 ? value.substring(from) : value.substring(from, nl);
      if (nl >= 0 && line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      lines.add(line);
      if (nl < 0) {
        return lines;
      }
      from = nl + 1;
    }
  }

  private static void addForms(String value, Set<String> forms) {
    forms.add(value);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    for (Base64.Encoder encoder :
        new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
      for (int offset = 0; offset < 3; offset++) {
        forms.add(base64(encoder, bytes, offset));
      }
    }
    forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
    forms.add(percentEncoded(bytes, HEX_UPPER));
    forms.add(percentEncoded(bytes, HEX_LOWER));
    String json = new String(JsonStringEncoder.getInstance().quoteAsString(value));
    forms.add(json);
    forms.add(asciiJson(json, HEX_UPPER));
    forms.add(asciiJson(json, HEX_LOWER));
  }

  /**
   * The base64 characters that depend only on {@code bytes} when they sit {@code offset} bytes
   * after a 3-byte boundary: a character covers 6 bits, so those that also cover a bit of the bytes
   * before or after differ from blob to blob and are left out.
   */
  static String base64(Base64.Encoder encoder, byte[] bytes, int offset) {
    byte[] shifted = new byte[offset + bytes.length];
    System.arraycopy(bytes, 0, shifted, offset, bytes.length);
    String encoded = encoder.withoutPadding().encodeToString(shifted);
    int from = (8 * offset + 5) / 6;
    int to = 8 * shifted.length / 6;
    return from >= to ? "" : encoded.substring(from, to);
  }

  /** RFC 3986: everything but the unreserved characters as %XX of its UTF-8 bytes. */
  private static String percentEncoded(byte[] bytes, char[] hex) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(hex[c >> 4]).append(hex[c & 0xF]);
      }
    }
    return out.toString();
  }

  private static String asciiJson(String json, char[] hex) {
    StringBuilder out = new StringBuilder(json.length() + 16);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c < 128) {
        out.append(c);
      } else {
        out.append("\\u")
            .append(hex[(c >> 12) & 0xF])
            .append(hex[(c >> 8) & 0xF])
            .append(hex[(c >> 4) & 0xF])
            .append(hex[c & 0xF]);
      }
    }
    return out.toString();
  }
}
