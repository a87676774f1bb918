package dev.tailboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client of a room (the JDK's java.net.http.WebSocket), keeping every frame it
 * got. {@code reading=false} makes it a reader that stops taking frames after the first few, to
 * play a slow member.
 */
public final class WsClient implements AutoCloseable {

  public final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  public final AtomicInteger pings = new AtomicInteger();
  public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final WebSocket socket;

  private WsClient(WebSocket socket) {
    this.socket = socket;
  }

  /** Connects anonymously: where rooms need a signed-in writer, a watcher. */
  public static WsClient connect(String room) {
    return connect(room, Map.of(), true);
  }

  /** Connects signed in as {@code subject}, with read on every project: a member. */
  public static WsClient connectAs(String room, String subject) {
    return connect(room, as(subject), true);
  }

  /** The handshake header of a caller signed in as {@code subject}, reading every project. */
  public static Map<String, String> as(String subject) {
    return Map.of(
        "Authorization", "Bearer " + ItServer.token(subject, "read:**", Duration.ofHours(1)));
  }

  /** Connects to {@code /ws/rooms/{room}} with the given extra handshake headers. */
  public static WsClient connect(String room, Map<String, String> headers, boolean reading) {
    return connectAsync(room, headers, reading).join();
  }

  public static CompletableFuture<WsClient> connectAsync(
      String room, Map<String, String> headers, boolean reading) {
    String url = ItServer.baseUrl().replaceFirst("^http", "ws") + "/ws/rooms/" + room;
    return connectUrlAsync(url, headers, reading);
  }

  /**
   * Connects to a full WebSocket URL (another server than the usual IT server: a cluster node,
   * nginx) with the given extra handshake headers.
   */
  public static WsClient connectUrl(String url, Map<String, String> headers) {
    return connectUrlAsync(url, headers, true).join();
  }

  public static CompletableFuture<WsClient> connectUrlAsync(
      String url, Map<String, String> headers, boolean reading) {
    Listener listener = new Listener(reading);
    WebSocket.Builder b =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    return b.buildAsync(URI.create(url), listener)
        .thenApply(
            ws -> {
              WsClient c = new WsClient(ws);
              listener.client.complete(c);
              return c;
            });
  }

  /**
   * A {@code doc.push} of one update to the room's notes by {@code clientId}, on {@code version}.
   */
  public static Map<String, Object> notesPush(String clientId, int version, List<Object> changes) {
    return Map.of(
        "type",
        "doc.push",
        "doc",
        "notes",
        "version",
        version,
        "updates",
        List.of(Map.of("clientID", clientId, "changes", changes)));
  }

  public void send(Object message) {
    sendRaw(message instanceof String s ? s : Api.write(message));
  }

  public void sendRaw(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** The frames of one type, in arrival order. */
  public List<JsonNode> of(String type) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode f : frames) {
      if (type.equals(f.path("type").asText())) {
        out.add(f);
      }
    }
    return out;
  }

  public boolean has(String type, Predicate<JsonNode> test) {
    return of(type).stream().anyMatch(test);
  }

  /** Whether a {@code build} frame relayed this build status from the hub. */
  public boolean hasBuildStatus(String status) {
    return has(
        "build",
        f ->
            "status".equals(f.path("event").asText())
                && status.equals(f.path("data").path("status").asText()));
  }

  public JsonNode welcome() {
    return of("welcome").get(0);
  }

  /** Asks for more frames, for a client that stopped reading. */
  public void resumeReading() {
    socket.request(Long.MAX_VALUE);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS);
    }
    socket.abort();
  }

  private static final class Listener implements WebSocket.Listener {
    final CompletableFuture<WsClient> client = new CompletableFuture<>();
    private final boolean reading;
    private final StringBuilder partial = new StringBuilder();
    private int received;

    Listener(boolean reading) {
      this.reading = reading;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        client.thenAccept(
            c -> {
              try {
                c.frames.add(Api.JSON.readTree(text));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
        received++;
      }
      if (reading || received < 3) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      client.thenAccept(c -> c.pings.incrementAndGet());
      webSocket.request(1);
      return WebSocket.Listener.super.onPing(webSocket, message);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      client.thenAccept(c -> c.closeCode.complete(statusCode));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      client.thenAccept(c -> c.closeCode.complete(1006));
    }
  }
}
