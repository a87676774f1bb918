package dev.tailboard.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client over a raw socket that reads nothing until told to: the slowest possible
 * member, with a tiny receive buffer so the server's sends back up at once.
 */
public final class RawWsClient implements AutoCloseable {

  private final Socket socket = new Socket();
  private final OutputStream out;

  public RawWsClient(String room) throws IOException {
    this(room, null);
  }

  /** Signed in as {@code subject} (a member, not a watcher) unless it is null. */
  public RawWsClient(String room, String subject) throws IOException {
    this(ItServer.baseUrl(), room, subject);
  }

  /** A client of the server at {@code baseUrl} (not the build's IT server). */
  public RawWsClient(String baseUrl, String room, String subject) throws IOException {
    URI base = URI.create(baseUrl);
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
    socket.setSoTimeout(30_000);
    out = socket.getOutputStream();
    out.write(RawWsClient.handshake(base, room, "tailboard-rawtest", subject));
    out.flush();
  }

  /**
   * The upgrade request for {@code /ws/rooms/{room}}, with a bearer token of {@code subject}
   * (reading every project) unless it is null.
   */
  static byte[] handshake(URI base, String room, String key, String subject) {
    return ("GET /ws/rooms/"
            + room
            + " HTTP/1.1\r\nHost: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.US_ASCII))
            + "\r\nSec-WebSocket-Version: 13\r\n"
            + (subject == null
                ? ""
                : "Authorization: Bearer "
                    + ItServer.token(subject, "read:**", java.time.Duration.ofHours(1))
                    + "\r\n")
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends one masked text frame (clients must mask). */
  public void sendText(String text) throws IOException {
    sendText(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends these bytes as one text frame, whether they are UTF-8 or not. */
  public void sendText(byte[] payload) throws IOException {
    byte[] mask = {1, 2, 3, 4};
    out.write(0x81);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else {
      out.write(0x80 | 126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    }
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }

  /**
   * Reads the handshake answer and then frames until the server's close frame; returns its close
   * code, or -1 if the connection ended without one.
   */
  public int readUntilClose() throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    int crlf = 0;
    while (crlf < 4) {
      int c = in.read();
      if (c < 0) {
        return -1;
      }
      crlf = (c == '\r' || c == '\n') ? crlf + 1 : 0;
    }
    while (true) {
      int b0 = in.read();
      if (b0 < 0) {
        return -1;
      }
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      byte[] payload = new byte[(int) len];
      in.readFully(payload);
      if ((b0 & 0x0f) == 8) {
        return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
