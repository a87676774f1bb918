package dev.tailboard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A chunked HTTP/1.1 upload over a raw socket, the way {@code cmd | curl -T - URL} sends one: each
 * {@link #write} goes out at once as its own chunk. (The JDK HttpClient holds a piped body back
 * until it ends, so it cannot show streaming.)
 */
public final class ChunkedUpload implements AutoCloseable {

  private final Socket socket = new Socket();
  private final OutputStream out;

  public ChunkedUpload(String path, String token) throws IOException {
    URI base = URI.create(ItServer.baseUrl());
    socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5000);
    socket.setSoTimeout(30_000);
    out = socket.getOutputStream();
    String head =
        "PUT "
            + path
            + " HTTP/1.1\r\nHost: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\n"
            + "Authorization: Bearer "
            + token
            + "\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Sends {@code text} as one chunk, now. */
  public void write(String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Ends the body and returns the whole response (status line, headers and body). */
  public String finish() throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    in.transferTo(response);
    return response.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
