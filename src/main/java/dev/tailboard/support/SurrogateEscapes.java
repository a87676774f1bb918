package dev.tailboard.support;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Writes UTF-16 surrogates as {@code \\uXXXX} escapes. A shared document may hold half of an emoji
 * (CodeMirror counts UTF-16 code units, and a change can fall between the halves); raw, a lone
 * surrogate cannot be encoded in UTF-8 and would reach clients as {@code ?}.
 */
final class SurrogateEscapes extends CharacterEscapes {

  private final int[] ascii = standardAsciiEscapesForJSON();

  @Override
  public int[] getEscapeCodesForAscii() {
    return ascii;
  }

  @Override
  public SerializableString getEscapeSequence(int ch) {
    if (ch >= 0xD800 && ch <= 0xDFFF) {
      return new SerializedString(String.format("\\u%04x", ch));
    }
    return null;
  }
}
