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
import java.util.Locale;

/**
 * HTTP over a bare socket, for requests no well-behaved client library would send: a broken request
 * line, a lying {@code Content-Length}, headers that never end. Reads the answer (or the server
 * closing) within a deadline.
 */
public final class RawHttp implements AutoCloseable {

  /** What came back: the status (0: the server closed without answering), headers and body. */
  public record Answer(int status, String head, String body) {
    /** The {@code Content-Type} header's value, lower-case, or "" when none. */
    public String contentType() {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-type")) {
          return line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        }
      }
      return "";
    }
  }

  private final Socket socket = new Socket();
  private final OutputStream out;
  private final String hostHeader;

  public RawHttp(String baseUrl) throws IOException {
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
  public RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  public RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Reads the answer: everything until the server closes, the body's {@code Content-Length} is
   * read, or {@code seconds} pass without a byte (then what came so far).
   */
  public Answer read(int seconds) throws IOException {
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
    return parse(got.toString(StandardCharsets.UTF_8));
  }

  private static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    Answer a = parse(text);
    for (String line : a.head().split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return text.length() - end - 4 >= Integer.parseInt(line.substring(15).trim());
      }
    }
    return false;
  }

  static Answer parse(String text) {
    if (!text.startsWith("HTTP/")) {
      return new Answer(0, "", text);
    }
    int end = text.indexOf("\r\n\r\n");
    String head = end < 0 ? text : text.substring(0, end);
    String body = end < 0 ? "" : text.substring(end + 4);
    String[] statusLine = head.split("\r\n", 2)[0].split(" ");
    return new Answer(Integer.parseInt(statusLine[1]), head, body);
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
