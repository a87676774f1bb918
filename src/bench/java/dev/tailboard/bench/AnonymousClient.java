package dev.tailboard.bench;

import dev.tailboard.testing.StalledWsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One hostile anonymous client, all of it from 127.0.0.1: SSE streams, long-polls and WebSocket
 * watchers that never read a byte. Each socket has a 4 KiB receive buffer, set before connecting,
 * so the kernel holds little for it and the server's own queues fill at once. Nothing here has a
 * thread: the kernel's table of connections says whether each was answered and is still open.
 */
final class AnonymousClient implements AutoCloseable {

  private static final int RECEIVE_BUFFER = 4096;

  private final URI base;
  final List<Socket> streams = new ArrayList<>();
  final List<Socket> polls = new ArrayList<>();
  final List<StalledWsClient> watchers = new ArrayList<>();

  AnonymousClient(URI base) {
    this.base = base;
  }

  /** An SSE stream of {@code build} from its start (a small replay: the build is seeded only). */
  void openStream(long build) throws IOException {
    streams.add(send(get("/api/builds/" + build + "/events", "text/event-stream")));
  }

  /** A long-poll waiting for the event after {@code after}, up to 30 s. */
  void openPoll(long build, long after) throws IOException {
    polls.add(send(get("/api/builds/" + build + "/poll?after=" + after + "&wait=30", "*/*")));
  }

  /** A watcher of a build's room: the handshake now, {@code hello} once it is answered. */
  StalledWsClient openWatcher(long build) throws IOException {
    StalledWsClient ws = new StalledWsClient("build-" + build);
    watchers.add(ws);
    return ws;
  }

  /**
   * Asks for one more stream or poll past what it holds and returns the status the server answers
   * (-1: none within 10 s). The server answers a refusal at once; a 200 stream is closed again.
   */
  int statusOfOneMore(String target, String accept) throws IOException {
    try (Socket s = send(get(target, accept))) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      byte[] head = in.readNBytes("HTTP/1.1 200".length());
      String line = new String(head, StandardCharsets.US_ASCII);
      return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
    } catch (java.net.SocketTimeoutException e) {
      return -1;
    }
  }

  /** Whether it opened nothing (the control run). */
  boolean isEmpty() {
    return streams.isEmpty() && polls.isEmpty() && watchers.isEmpty();
  }

  List<Integer> streamPorts() {
    return LoopbackSockets.ports(streams);
  }

  List<Integer> pollPorts() {
    return LoopbackSockets.ports(polls);
  }

  List<Integer> watcherPorts() {
    return watchers.stream().map(StalledWsClient::localPort).toList();
  }

  /** Waits until each of {@code ports} was answered or is gone; returns how many were answered. */
  int awaitAnswered(List<Integer> ports, Duration max) {
    return LoopbackSockets.awaitAnswered(ports, base.getPort(), max);
  }

  int established(List<Integer> ports) throws IOException {
    return LoopbackSockets.established(ports, base.getPort());
  }

  private String get(String target, String accept) {
    return IdleBenchmark.getRequest(base, target, accept, null);
  }

  private Socket send(String request) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(RECEIVE_BUFFER);
    s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  @Override
  public void close() {
    for (Socket s : streams) {
      closeQuietly(s);
    }
    for (Socket s : polls) {
      closeQuietly(s);
    }
    for (StalledWsClient ws : watchers) {
      closeQuietly(ws);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // gone already
    }
  }
}
