package dev.tailboard.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking output against a container stream that the test makes full or ready at will, the
 * way a client that stops and starts reading does.
 */
class ClientOutputTest {

  /** A container's non-blocking stream: {@code ready} is what isReady() answers. */
  static final class ContainerStream extends ServletOutputStream {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    final List<Integer> writes = new ArrayList<>();
    int flushes;
    boolean closed;
    boolean ready = true;
    Runnable onNotReady = () -> {};
    WriteListener listener;

    @Override
    public boolean isReady() {
      if (!ready) {
        onNotReady.run();
      }
      return ready;
    }

    @Override
    public void setWriteListener(WriteListener l) {
      listener = l;
    }

    @Override
    public void write(int b) {
      throw new AssertionError("writes come as arrays");
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (!ready) {
        throw new IllegalStateException("write while not ready");
      }
      written.write(b, off, len);
      writes.add(len);
    }

    @Override
    public void flush() {
      flushes++;
    }

    @Override
    public void close() {
      closed = true;
    }

    String text() {
      return written.toString(US_ASCII);
    }
  }

  private final ContainerStream stream = new ContainerStream();
  private final AtomicInteger completes = new AtomicInteger();
  private final AtomicInteger ended = new AtomicInteger();
  private long now = 1_000;

  private ClientOutput output(long room, long limit) {
    ClientOutput out =
        new ClientOutput(stream, room, limit, () -> now, "127.0.0.1", o -> ended.incrementAndGet());
    AsyncContext async =
        (AsyncContext)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {AsyncContext.class},
                (p, m, a) -> {
                  if (m.getName().equals("complete")) {
                    completes.incrementAndGet();
                  }
                  return null;
                });
    out.listen(async);
    ((ClientOutput) stream.listener).onWritePossible(); // the container's first call
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(US_ASCII);
  }

  @Test
  void whileTheSocketTakesBytesTheyGoOutAtOnceOnTheCallersThread() throws IOException {
    ClientOutput out = output(100, 1000);
    out.send(bytes("event 1\n\n"));
    assertThat(stream.text()).isEqualTo("event 1\n\n");
    assertThat(stream.flushes).isEqualTo(1);
    assertThat(out.blockedSince()).isZero();
  }

  @Test
  void aFullSocketMakesNoOneWaitAndWhatQueuedMeanwhileGoesOutWithOneFlush() throws IOException {
    ClientOutput out = output(10, 1000);
    stream.ready = false;
    out.send(bytes("aaaa"));
    out.send(bytes("bbbb"));
    assertThat(out.hasRoom()).isTrue();
    out.send(bytes("cccc"));
    assertThat(stream.text()).isEmpty();
    assertThat(out.hasRoom()).isFalse();
    assertThat(out.blockedSince()).isEqualTo(1_000);
    AtomicInteger woken = new AtomicInteger();
    assertThat(out.whenRoom(woken::incrementAndGet)).isTrue();

    stream.ready = true;
    ((ClientOutput) stream.listener).onWritePossible();
    assertThat(stream.text()).isEqualTo("aaaabbbbcccc");
    assertThat(stream.flushes).isEqualTo(1);
    assertThat(woken).hasValue(1);
    assertThat(out.blockedSince()).isZero();
    assertThat(out.hasRoom()).isTrue();
  }

  @Test
  void theContainerCallingBackWhileAWriterDrainsIsNotLost() throws IOException {
    ClientOutput out = output(100, 1000);
    stream.ready = false;
    // the container finds the socket writable again right as the writer sees it full
    stream.onNotReady =
        () -> {
          stream.ready = true;
          stream.onNotReady = () -> {};
          ((ClientOutput) stream.listener).onWritePossible();
        };
    out.send(bytes("x"));
    assertThat(stream.text()).isEqualTo("x");
  }

  @Test
  void completeWaitsUntilEverythingQueuedHasGoneOut() throws IOException {
    ClientOutput out = output(100, 1000);
    stream.ready = false;
    out.send(bytes("last event"));
    out.complete();
    assertThat(completes).hasValue(0);
    stream.ready = true;
    ((ClientOutput) stream.listener).onWritePossible();
    assertThat(stream.text()).isEqualTo("last event");
    assertThat(completes).hasValue(1);
    assertThat(ended).hasValue(1);
  }

  @Test
  void pastItsByteLimitTheConnectionIsCutAndItsQueueFreed() throws IOException {
    ClientOutput out = output(10, 100);
    stream.ready = false;
    out.send(new byte[60]);
    AtomicInteger woken = new AtomicInteger();
    out.whenRoom(woken::incrementAndGet);
    assertThatThrownBy(() -> out.send(new byte[60])).isInstanceOf(IOException.class);
    assertThat(out.queuedBytes()).isZero();
    assertThat(completes).hasValue(1);
    assertThat(woken).hasValue(1);
    assertThat(ended).hasValue(1);
    assertThatThrownBy(() -> out.send(bytes("more"))).isInstanceOf(IOException.class);
  }

  @Test
  void abortEndsAStalledConnectionWithoutWaitingForItsWrite() throws IOException {
    ClientOutput out = output(10, 1000);
    stream.ready = false;
    out.send(bytes("never read"));
    out.abort();
    assertThat(stream.text()).isEmpty();
    assertThat(completes).hasValue(1);
    assertThat(ended).hasValue(1);
    assertThat(out.closed()).isTrue();
    out.abort();
    assertThat(completes).hasValue(1);
  }
}
