package dev.tailboard.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

  private static List<String> read(byte[] body, int maxChars) throws IOException {
    LineReader reader = new LineReader(new ByteArrayInputStream(body), maxChars);
    List<String> lines = new ArrayList<>();
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lines.add(line);
    }
    return lines;
  }

  @Test
  void splitsOnNewlinesOnlyAndKeepsProgressCarriageReturns() throws IOException {
    assertThat(read("a\r\nb\nc 10%\rc 100%\nlast".getBytes(), 100))
        .containsExactly("a", "b", "c 10%\rc 100%", "last");
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() throws IOException {
    byte[] body = {'o', 'k', (byte) 0xff, (byte) 0xfe, '\n'};
    assertThat(read(body, 100)).containsExactly("ok\uFFFD\uFFFD");
  }

  @Test
  void endlessLinesComeInBoundedPieces() throws IOException {
    String line = "z".repeat(50_000);
    List<String> pieces = read(line.getBytes(), 10_000);
    assertThat(String.join("", pieces)).isEqualTo(line);
    assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThan(20_000));
  }

  @Test
  void emptyBodyHasNoLines() throws IOException {
    assertThat(read(new byte[0], 100)).isEmpty();
  }
}
