package dev.tailboard.bench;

import dev.tailboard.testing.ItServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle capacity: N SSE streams of one build plus M WebSocket members (rooms of 10, each joined with
 * {@code hello}), all held open for a while with the server's heartbeats flowing; then how many are
 * still open, the server's heap after a full GC and its RSS, before and with them.
 *
 * <p>Thousands of connections from one load JVM on 2 cores: one thread and one NIO selector hold
 * them all (a JDK HttpClient or WebSocket per connection would cost the load generator more than
 * the server). Each connection sends its HTTP request or WebSocket handshake, checks the answer
 * ({@code 200} or {@code 101}), then only reads: SSE bytes are discarded, WebSocket pings are
 * answered with pongs, so the server's liveness checks pass.
 */
public final class IdleBenchmark {

  private static final int ROOM_SIZE = 10;

  public static void main(String[] args) throws Exception {
    int sse = Integer.getInteger("bench.idleSse", 8_000);
    int ws = Integer.getInteger("bench.idleWs", 8_000);
    int hold = Integer.getInteger("bench.holdSeconds", 20);
    URI base = URI.create(ItServer.baseUrl());
    String token = ItServer.publisher();
    long build = IngestBenchmark.createBuild("bench/idle");
    long heapBefore = ServerProbe.heapAfterGc();
    long rssBefore = ServerProbe.rss();

    InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
    String host = base.getHost() + ":" + base.getPort();
    List<Conn> conns = new ArrayList<>();
    for (int i = 0; i < sse; i++) {
      conns.add(new Conn(false, sseRequest(base, "/api/builds/" + build + "/events", token)));
    }
    for (int i = 0; i < ws; i++) {
      conns.add(
          new Conn(
              true,
              "GET /ws/rooms/idle-"
                  + i / ROOM_SIZE
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Cookie: tailboard_token="
                  + token
                  + "\r\n\r\n"));
    }

    long start = System.nanoTime();
    long openDeadline = start + 180_000_000_000L;
    try (Selector selector = Selector.open()) {
      int next = 0;
      while (System.nanoTime() < openDeadline) {
        // at most 200 handshakes in flight, so the server's accept backlog never overflows
        int pending = 0;
        for (int i = Math.max(0, next - 400); i < next; i++) {
          pending += conns.get(i).state == State.HANDSHAKE ? 1 : 0;
        }
        while (next < conns.size() && pending < 200) {
          conns.get(next++).connect(selector, address);
          pending++;
        }
        selector.select(10);
        handle(selector);
        if (next == conns.size() && conns.stream().noneMatch(c -> c.state == State.HANDSHAKE)) {
          break;
        }
      }
      double openSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("opened %d connections in %.1f s%n", conns.size(), openSeconds);
      long holdStart = System.nanoTime();
      long holdEnd = holdStart + hold * 1_000_000_000L;
      while (System.nanoTime() < holdEnd) {
        selector.select(50);
        handle(selector);
      }
      long heapWith = ServerProbe.heapAfterGc();
      ServerProbe.histogram(System.getProperty("bench.histogram"));
      long rssWith = ServerProbe.rss();
      // keep answering while the server was paused for its GC
      for (int i = 0; i < 20; i++) {
        selector.select(50);
        handle(selector);
      }
      long sseHeld = conns.stream().filter(c -> !c.ws && c.state == State.OPEN).count();
      long wsHeld = conns.stream().filter(c -> c.ws && c.state == State.OPEN).count();
      long heartbeats =
          conns.stream().filter(c -> !c.ws && c.lastRead > holdStart + 1_000_000_000L).count();
      long refused = conns.stream().filter(c -> c.state == State.REFUSED).count();
      int held = (int) (sseHeld + wsHeld);
      System.out.println();
      System.out.println("| scenario | figure |\n|---|---|");
      System.out.printf(
          "| idle: %,d SSE + %,d WebSocket asked, held %d s | %,d SSE + %,d WebSocket open"
              + " (%,d refused or closed); %,d SSE streams got a heartbeat in the hold |%n",
          sse, ws, hold, sseHeld, wsHeld, refused + (conns.size() - held - refused), heartbeats);
      System.out.printf(
          "| server heap after full GC, before → with them | %.1f → %.1f MiB (%.1f KiB per"
              + " connection) |%n",
          heapBefore / 1048576.0,
          heapWith / 1048576.0,
          (heapWith - heapBefore) / 1024.0 / Math.max(1, held));
      System.out.printf(
          "| server RSS, before → with them | %.1f → %.1f MiB |%n",
          rssBefore / 1048576.0, rssWith / 1048576.0);
      ServerProbe.record(
          "idle",
          ServerProbe.figures(
              "sseAsked", sse,
              "wsAsked", ws,
              "holdSeconds", hold,
              "openSeconds", openSeconds,
              "sseHeld", sseHeld,
              "wsHeld", wsHeld,
              "sseHeartbeats", heartbeats,
              "heapBeforeMiB", heapBefore / 1048576.0,
              "heapMiB", heapWith / 1048576.0,
              "heapPerConnKiB", (heapWith - heapBefore) / 1024.0 / Math.max(1, held),
              "rssBeforeMiB", rssBefore / 1048576.0,
              "rssMiB", rssWith / 1048576.0));
      for (Conn c : conns) {
        c.close();
      }
    }
    System.exit(0);
  }

  /** The raw HTTP/1.1 request of an SSE stream, for clients that write their own bytes. */
  static String sseRequest(URI base, String target, String token) {
    return getRequest(base, target, "text/event-stream", token);
  }

  /** A raw HTTP/1.1 GET; anonymous when {@code token} is null. */
  static String getRequest(URI base, String target, String accept, String token) {
    return "GET "
        + target
        + " HTTP/1.1\r\nHost: "
        + base.getHost()
        + ":"
        + base.getPort()
        + "\r\nAccept: "
        + accept
        + (token == null ? "" : "\r\nAuthorization: Bearer " + token)
        + "\r\n\r\n";
  }

  private static void handle(Selector selector) {
    for (SelectionKey key : selector.selectedKeys()) {
      Conn c = (Conn) key.attachment();
      try {
        if (key.isConnectable()) {
          c.finishConnect(key);
        } else if (key.isReadable()) {
          c.read(key);
        }
      } catch (IOException | RuntimeException e) {
        c.fail();
      }
    }
    selector.selectedKeys().clear();
  }

  enum State {
    NEW,
    HANDSHAKE,
    OPEN,
    REFUSED,
    CLOSED
  }

  /** One idle connection: its request, then reads until the server closes it. */
  static final class Conn {
    private static final ByteBuffer READ = ByteBuffer.allocateDirect(64 * 1024);
    private static final byte[] MASK = {1, 2, 3, 4};

    final boolean ws;
    private final byte[] request;
    private SocketChannel channel;
    private ByteArrayOutputStream head = new ByteArrayOutputStream();
    private byte[] partial = new byte[0];
    volatile State state = State.NEW;
    long lastRead;

    Conn(boolean ws, String request) {
      this.ws = ws;
      this.request = request.getBytes(StandardCharsets.US_ASCII);
    }

    void connect(Selector selector, InetSocketAddress address) {
      state = State.HANDSHAKE;
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        if (channel.connect(address)) {
          channel.register(selector, SelectionKey.OP_READ, this);
          writeAll(ByteBuffer.wrap(request));
        } else {
          channel.register(selector, SelectionKey.OP_CONNECT, this);
        }
      } catch (IOException e) {
        fail();
      }
    }

    void finishConnect(SelectionKey key) throws IOException {
      channel.finishConnect();
      key.interestOps(SelectionKey.OP_READ);
      writeAll(ByteBuffer.wrap(request));
    }

    void read(SelectionKey key) throws IOException {
      READ.clear();
      int n = channel.read(READ);
      if (n < 0) {
        key.cancel();
        close();
        return;
      }
      lastRead = System.nanoTime();
      READ.flip();
      byte[] bytes = new byte[READ.remaining()];
      READ.get(bytes);
      if (state == State.HANDSHAKE) {
        head.write(bytes);
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        boolean ok = text.startsWith(ws ? "HTTP/1.1 101" : "HTTP/1.1 200");
        if (!ok) {
          key.cancel();
          state = State.REFUSED;
          channel.close();
          return;
        }
        state = State.OPEN;
        byte[] rest = java.util.Arrays.copyOfRange(head.toByteArray(), end + 4, head.size());
        head = null;
        if (ws) {
          writeFrame(
              0x1, "{\"type\":\"hello\",\"name\":\"idle\"}".getBytes(StandardCharsets.UTF_8));
          frames(rest);
        }
      } else if (ws) {
        frames(bytes);
      }
    }

    /** Parses the server's (unmasked) frames; answers pings, notes a close. */
    private void frames(byte[] bytes) throws IOException {
      byte[] buf = partial.length == 0 ? bytes : concat(partial, bytes);
      int at = 0;
      while (buf.length - at >= 2) {
        int opcode = buf[at] & 0x0F;
        int len = buf[at + 1] & 0x7F;
        int header = 2;
        if (len == 126) {
          if (buf.length - at < 4) {
            break;
          }
          len = ((buf[at + 2] & 0xFF) << 8) | (buf[at + 3] & 0xFF);
          header = 4;
        } else if (len == 127) {
          if (buf.length - at < 10) {
            break;
          }
          len = (int) java.nio.ByteBuffer.wrap(buf, at + 2, 8).getLong();
          header = 10;
        }
        if (buf.length - at < header + len) {
          break;
        }
        if (opcode == 0x9) {
          writeFrame(0xA, java.util.Arrays.copyOfRange(buf, at + header, at + header + len));
        } else if (opcode == 0x8) {
          close();
          return;
        }
        at += header + len;
      }
      partial = java.util.Arrays.copyOfRange(buf, at, buf.length);
    }

    private void writeFrame(int opcode, byte[] payload) throws IOException {
      ByteBuffer frame = ByteBuffer.allocate(payload.length + 8);
      frame.put((byte) (0x80 | opcode));
      frame.put((byte) (0x80 | payload.length)); // our frames are under 126 bytes
      frame.put(MASK);
      for (int i = 0; i < payload.length; i++) {
        frame.put((byte) (payload[i] ^ MASK[i % 4]));
      }
      frame.flip();
      writeAll(frame);
    }

    private void writeAll(ByteBuffer buf) throws IOException {
      // a few hundred bytes into an empty loopback socket buffer: written at once
      for (int tries = 0; buf.hasRemaining() && tries < 1000; tries++) {
        channel.write(buf);
      }
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, c, a.length, b.length);
      return c;
    }

    void fail() {
      state = state == State.OPEN ? State.CLOSED : State.REFUSED;
      closeChannel();
    }

    void close() {
      state = State.CLOSED;
      closeChannel();
    }

    private void closeChannel() {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        // gone
      }
    }
  }

  private IdleBenchmark() {}
}
