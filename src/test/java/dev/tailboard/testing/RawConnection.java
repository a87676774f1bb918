package dev.tailboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP over a bare socket, for requests no well-behaved client library would send: a broken request
 * line, a lying {@code Content-Length}, headers that never end. Reads the answer (or the server
 * closing) within a deadline.
 */
public final class RawConnection implements AutoCloseable {

  private final Socket socket = new Socket();
  private final OutputStream out;
  private final String hostHeader;

  public RawConnection(String baseUrl) throws IOException {
    URI base = URI.create(baseUrl);
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
    out = socket.getOutputStream();
    hostHeader = base.getHost() + ":" + base.getPort();
  }

  /** The {@code Host} header's value for this server. */
  public String host() {
    return hostHeader;
  }

  /** Sends these bytes as they are; the connection stays open. */
  public RawConnection send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  public RawConnection send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Reads the answer: everything until the server closes, the body's {@code Content-Length} is
   * read, or {@code seconds} pass without a byte (then what came so far).
   */
  public RawHttp.Answer read(int seconds) throws IOException {
    socket.setSoTimeout(seconds * 1000);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        got.write(buf, 0, n);
        if (complete(got.toString(StandardCharsets.ISO_8859_1))) {
          break;
        }
      }
    } catch (SocketTimeoutException | java.net.SocketException quiet) {
      // what came so far is the answer
    }
    return RawHttp.Answer.parse(got.toString(StandardCharsets.UTF_8));
  }

  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String length = RawHttp.Answer.parse(text).header("Content-Length");
    return !length.isEmpty() && text.length() - end - 4 >= Integer.parseInt(length);
  }

  /** Whether the server has closed the connection (a read sees the end within a second). */
  public boolean closedByServer() throws IOException {
    socket.setSoTimeout(1000);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
