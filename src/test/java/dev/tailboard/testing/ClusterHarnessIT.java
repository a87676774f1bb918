package dev.tailboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster harness itself, apart from the server's own cluster work: the test PostgreSQL
 * answers, and the shipped nginx configuration (as {@link Nginx} rewrites it) balances without
 * stickiness, skips a dead upstream, streams SSE unbuffered and passes WebSocket upgrades. The
 * upstreams are tiny in-process HTTP servers, except in the test of {@link ClusterNodes}.
 */
class ClusterHarnessIT {

  private final HttpClient http = HttpClient.newHttpClient();
  private final CountDownLatch firstEventRead = new CountDownLatch(1);
  private final AtomicBoolean secondEventWritten = new AtomicBoolean();
  private final AtomicReference<Map<String, List<String>>> lastHeaders = new AtomicReference<>();
  private HttpServer a;
  private HttpServer b;
  private Nginx nginx;

  @BeforeEach
  void startUpstreamsAndNginx() throws IOException {
    a = upstream("a");
    b = upstream("b");
    nginx = Nginx.start(List.of(baseUrl(a), baseUrl(b)));
  }

  @AfterEach
  void stop() throws IOException, InterruptedException {
    if (nginx != null) {
      nginx.close();
    }
    a.stop(0);
    b.stop(0);
  }

  @Test
  void postgresAnswersQueriesInADatabaseOfItsOwn() throws IOException {
    Postgres postgres = Postgres.shared();
    postgres.createDatabase("harness");

    assertThat(postgres.query("harness", "SELECT 1")).isEqualTo("1");
    assertThat(postgres.query("harness", "SHOW max_connections")).isEqualTo("200");
    assertThat(postgres.jdbcUrl("harness"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/harness");
  }

  @Test
  void roundRobinReachesEveryUpstreamWithoutStickiness() throws Exception {
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      answered.add(get("/name").body());
    }

    assertThat(answered).containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void theNodesSeeTheClientsHostAndTheForwardedHeaders() throws Exception {
    get("/name");

    Map<String, List<String>> headers = lastHeaders.get();
    assertThat(headers.get("Host")).containsExactly("127.0.0.1:" + nginx.port());
    assertThat(headers.get("X-forwarded-for")).containsExactly("127.0.0.1");
    assertThat(headers.get("X-forwarded-proto")).containsExactly("http");
  }

  @Test
  void aGetSkipsAClosedUpstream() throws Exception {
    b.stop(0);

    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = get("/name");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("a");
    }
  }

  @Test
  void sseArrivesPieceByPiece() throws Exception {
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create(nginx.baseUrl() + "/sse")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader events =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");

      assertThat(events.readLine()).isEqualTo("data: one");
      // the upstream writes the second event only after this, so a buffering proxy never
      // delivers the first one in time (the upstream gives up waiting after 10 s)
      assertThat(secondEventWritten).isFalse();
      firstEventRead.countDown();
      assertThat(events.readLine()).isEmpty();
      assertThat(events.readLine()).isEqualTo("data: two");
    }
  }

  @Test
  void aWebSocketUpgradeIsPassedOnUnderWs() throws Exception {
    ServerSocket upgrading = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread upstream = new Thread(() -> acceptUpgradesAndEcho(upgrading), "upgrading-upstream");
    upstream.start();
    try (upgrading;
        Nginx wsNginx = Nginx.start(List.of("http://127.0.0.1:" + upgrading.getLocalPort()));
        Socket client = new Socket("127.0.0.1", wsNginx.port())) {
      OutputStream out = client.getOutputStream();
      out.write(
          ("GET /ws/rooms/r HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                  + "Connection: Upgrade\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));

      assertThat(in.readLine()).startsWith("HTTP/1.1 101");
      while (!in.readLine().isEmpty()) {
        // the rest of the 101's headers
      }
      out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).isEqualTo("echo hello");
    }
    upstream.join(10_000);
  }

  @Test
  void clusterNodesStartInParallelAndSurviveAKillBehindNginx() throws Exception {
    // no database: the server's PostgreSQL support is not this test's subject, so each node
    // keeps its own embedded store and only the harness is exercised
    try (ClusterNodes nodes = ClusterNodes.start(2, Map.of());
        Nginx front = Nginx.start(nodes.baseUrls())) {
      assertThat(health(front)).isEqualTo(200);

      nodes.kill(0);

      for (int i = 0; i < 4; i++) {
        assertThat(health(front)).isEqualTo(200);
      }
    }
  }

  private int health(Nginx front) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(front.baseUrl() + "/api/health")).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(nginx.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An upstream that answers /name with its name and /sse with two events, a latch apart. */
  private HttpServer upstream(String name) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/name",
        exchange -> {
          lastHeaders.set(Map.copyOf(exchange.getRequestHeaders()));
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext("/sse", this::twoEvents);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return server;
  }

  private void twoEvents(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        firstEventRead.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      secondEventWritten.set(true);
      out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Answers upgrade requests with 101, then echoes a line; anything else with 400. */
  private static void acceptUpgradesAndEcho(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        StringBuilder request = new StringBuilder();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          request.append(line.toLowerCase()).append('\n');
        }
        OutputStream out = socket.getOutputStream();
        if (!request.toString().contains("upgrade: websocket\n")
            || !request.toString().contains("connection: upgrade\n")) {
          out.write(
              "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          continue;
        }
        out.write(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        out.write(("echo " + in.readLine() + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException closed) {
        // the test is over and closed the server socket
      }
    }
  }

  private static String baseUrl(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }
}
