package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.store.StoredEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEncoderTest {

  private final SseEncoder encoder = new SseEncoder("e1");

  @Test
  void encodesNameIdAndOneDataLinePerLineAsJerseyWould() {
    StoredEvent e = new StoredEvent(7, 42, "log", "{\"a\":1}\nsecond\r\nthird", 1, 1);
    EncodedSseEvent encoded = encoder.encode(e);
    String text = new String(encoded.frame(), StandardCharsets.UTF_8);
    assertThat(text)
        .isEqualTo("event: log\nid: e1.42\ndata: {\"a\":1}\ndata: second\ndata: third\n\n");
    assertThat(encoded.sinkLength()).isEqualTo(encoded.frame().length - 1);
    assertThat(encoded.dataLine()).isNull();
    StoredEvent feed = new StoredEvent(7, 0, "build", "{}", 0, 0);
    assertThat(new String(encoder.encode(feed).frame(), StandardCharsets.UTF_8))
        .isEqualTo("event: build\ndata: {}\n\n");
    assertThat(encoder.encode(feed).dataLine()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBroadcastEncodesOnceAndAnotherEventIsNeverMistakenForIt() {
    StoredEvent e = new StoredEvent(7, 42, "log", "{}", 1, 1);
    assertThat(encoder.encode(e)).isSameAs(encoder.encode(e));
    StoredEvent equalButNotTheSame = new StoredEvent(7, 42, "log", "{\"b\":2}", 1, 1);
    assertThat(encoder.encode(equalButNotTheSame).getData()).isEqualTo("{\"b\":2}");
  }
}
