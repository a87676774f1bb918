package dev.tailboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket member over a raw socket that never reads, with a tiny receive buffer so the server's
 * sends back up at once, but keeps telling the server it is alive with unsolicited pongs (RFC 6455
 * §5.5.3 allows them). Without those pongs the server's missing-pong rule would close it long
 * before its socket stalls; with them, only the server's write timeout and queue bounds can.
 */
public final class StalledWsClient implements AutoCloseable {

  private static final byte[] MASK = {1, 2, 3, 4};

  private final Socket socket = new Socket();
  private final OutputStream out;
  private boolean writable = true;

  public StalledWsClient(String room) throws IOException {
    this(room, null);
  }

  /** Signed in as {@code subject} (a member, not a watcher) unless it is null. */
  public StalledWsClient(String room, String subject) throws IOException {
    URI base = URI.create(ItServer.baseUrl());
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
    out = socket.getOutputStream();
    out.write(RawWsClient.handshake(base, room, "tailboard-stalled", subject));
    out.flush();
  }

  /** The local port of the socket: how the kernel's table of connections names it. */
  public int localPort() {
    return socket.getLocalPort();
  }

  /** Sends one masked text frame (clients must mask); shorter than 64 KB. */
  public void sendText(String text) throws IOException {
    frame(0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends an empty unsolicited pong, unless the connection already failed; returns whether the
   * socket still took it.
   */
  public boolean pong() {
    if (writable) {
      try {
        frame(0x8A, new byte[0]);
      } catch (IOException e) {
        writable = false; // the server has ended the connection
      }
    }
    return writable;
  }

  private void frame(int opcode, byte[] payload) throws IOException {
    out.write(opcode);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else {
      out.write(0x80 | 126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    }
    out.write(MASK);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ MASK[i % 4]);
    }
    out.flush();
  }

  /**
   * Starts reading at last: drains whatever the server left in the socket and returns the bytes
   * read once the stream ends (end of stream or reset), or -1 if it is still open after {@code
   * timeoutMillis} without a byte.
   */
  public long drainUntilEnd(int timeoutMillis) throws IOException {
    socket.setSoTimeout(timeoutMillis);
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
      return total;
    } catch (SocketTimeoutException e) {
      return -1;
    } catch (SocketException e) {
      return total; // reset: the server aborted the connection
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
