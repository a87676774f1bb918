package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

  private static List<String> read(byte[] body, int maxChars) {
    return LineReader.lines(body, maxChars);
  }

  /** The body as the network may deliver it: {@code piece} bytes at a time. */
  private static List<String> readInPieces(byte[] body, int maxChars, int piece) {
    List<String> lines = new ArrayList<>();
    LineReader reader = new LineReader(maxChars, lines::add);
    for (int i = 0; i < body.length; i += piece) {
      reader.feed(body, i, Math.min(piece, body.length - i));
    }
    reader.end();
    return lines;
  }

  @Test
  void splitsOnNewlinesOnlyAndKeepsProgressCarriageReturns() {
    assertThat(read("a\r\nb\nc 10%\rc 100%\nlast".getBytes(), 100))
        .containsExactly("a", "b", "c 10%\rc 100%", "last");
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() {
    byte[] body = {'o', 'k', (byte) 0xff, (byte) 0xfe, '\n'};
    assertThat(read(body, 100)).containsExactly("ok\uFFFD\uFFFD");
  }

  @Test
  void endlessLinesComeInBoundedPieces() {
    String line = "z".repeat(50_000);
    List<String> pieces = read(line.getBytes(), 10_000);
    assertThat(String.join("", pieces)).isEqualTo(line);
    assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThan(20_000));
  }

  @Test
  void emptyBodyHasNoLines() {
    assertThat(read(new byte[0], 100)).isEmpty();
  }

  @Test
  void charactersSplitBetweenNetworkReadsAreJoinedAgain() {
    byte[] body = "é 😀 ok\r\nzwei ✓\n".getBytes(StandardCharsets.UTF_8);
    for (int piece = 1; piece <= 4; piece++) {
      assertThat(readInPieces(body, 100, piece)).containsExactly("é 😀 ok", "zwei ✓");
    }
  }

  @Test
  void aCharacterCutOffAtTheEndOfTheBodyBecomesAReplacementCharacter() {
    byte[] body = {'c', 'u', 't', (byte) 0xE2, (byte) 0x82};
    assertThat(read(body, 100).get(0)).matches("cut\uFFFD{1,2}");
  }

  @Test
  void piecesOfALongLineNeverSplitASurrogatePairOrAddALineAtACrlf() {
    String emoji = "😀".repeat(10);
    List<String> pieces = readInPieces((emoji + "\n").getBytes(StandardCharsets.UTF_8), 5, 3);
    assertThat(String.join("", pieces)).isEqualTo(emoji);
    assertThat(pieces)
        .allSatisfy(p -> assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse());

    assertThat(read("abcde\r\nnext\n".getBytes(), 5)).containsExactly("abcde", "next");
    assertThat(read("abcdef\r\r\nnext\n".getBytes(), 5)).containsExactly("abcde", "f\r", "next");
    assertThat(read("abcde\r\r\nnext\n".getBytes(), 5)).containsExactly("abcde\r", "next");
  }
}
