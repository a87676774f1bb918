package dev.tailboard.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;

/**
 * The container's ceiling for the room benchmark: a bare JSR 356 endpoint on the same Jetty, with
 * no framework, no CDI and no store. It speaks just enough of the room protocol for {@link
 * RoomBenchmark}: {@code hello} is answered by {@code welcome}, a {@code chat} goes to every member
 * of the room.
 */
public final class BareJettyPeer {

  /** Members by room; the one shared state of the peer. */
  static final class Rooms {
    final Map<String, Set<Session>> members = new ConcurrentHashMap<>();
  }

  /** One connection of the peer. */
  public static final class RoomSocket extends Endpoint {
    private final Rooms rooms;

    RoomSocket(Rooms rooms) {
      this.rooms = rooms;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      String room = session.getPathParameters().get("room");
      rooms.members.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(session);
      session.addMessageHandler(
          String.class,
          (MessageHandler.Whole<String>)
              text -> {
                if (text.startsWith("{\"type\":\"hello\"")) {
                  session.getAsyncRemote().sendText("{\"type\":\"welcome\"}");
                } else if (text.startsWith("{\"type\":\"chat\"")) {
                  int at = text.indexOf("\"text\":\"") + 8;
                  String stamp = text.substring(at, text.indexOf('"', at));
                  String frame = "{\"type\":\"chat\",\"text\":\"" + stamp + "\"}";
                  for (Session m : rooms.members.get(room)) {
                    m.getAsyncRemote().sendText(frame);
                  }
                }
              });
    }

    @Override
    public void onClose(Session session, jakarta.websocket.CloseReason reason) {
      rooms.members.get(session.getPathParameters().get("room")).remove(session);
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Rooms rooms = new Rooms();
    Server server = new Server(new InetSocketAddress("127.0.0.1", port));
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(
        new HttpServlet() {
          @Override
          protected void doGet(HttpServletRequest req, HttpServletResponse resp)
              throws IOException {
            resp.getWriter().write("{\"status\":\"ok\"}");
          }
        },
        "/api/health");
    context.addServlet(new Builds(), "/api/builds/*");
    server.setHandler(context);
    JakartaWebSocketServletContainerInitializer.configure(
        context,
        (servletContext, container) ->
            container.addEndpoint(
                ServerEndpointConfig.Builder.create(RoomSocket.class, "/ws/rooms/{room}")
                    .configurator(
                        new ServerEndpointConfig.Configurator() {
                          @Override
                          public <T> T getEndpointInstance(Class<T> type) {
                            return type.cast(new RoomSocket(rooms));
                          }
                        })
                    .build()));
    server.start();
    server.join();
  }

  /** Builds without a store: log chunks are written to every open SSE stream at once. */
  static final class Builds extends HttpServlet {
    private final java.util.concurrent.atomic.AtomicLong ids =
        new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, Set<jakarta.servlet.AsyncContext>> streams =
        new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicLong> lines =
        new ConcurrentHashMap<>();
    private final com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String[] path = req.getPathInfo() == null ? new String[0] : req.getPathInfo().split("/");
      resp.setContentType("application/json");
      if (path.length < 2) {
        req.getInputStream().readAllBytes();
        resp.setStatus(201);
        resp.getWriter().write("{\"id\":" + ids.incrementAndGet() + "}");
        return;
      }
      String id = path[1];
      com.fasterxml.jackson.databind.JsonNode body = json.readTree(req.getInputStream());
      int count = body.get("lines").size();
      long first =
          lines
                  .computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicLong())
                  .getAndAdd(count)
              + 1;
      String event =
          "event: log\ndata: {\"first\":" + first + ",\"lines\":" + body.get("lines") + "}\n\n";
      byte[] bytes = event.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (jakarta.servlet.AsyncContext c : streams.getOrDefault(id, Set.of())) {
        try {
          var out = c.getResponse().getOutputStream();
          out.write(bytes);
          out.flush();
        } catch (IOException | RuntimeException e) {
          streams.get(id).remove(c);
        }
      }
      resp.getWriter().write("{\"first\":" + first + ",\"last\":" + (first + count - 1) + "}");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String id = req.getPathInfo().split("/")[1];
      resp.setContentType("text/event-stream");
      resp.setHeader("Cache-Control", "no-cache");
      jakarta.servlet.AsyncContext async = req.startAsync();
      async.setTimeout(0);
      var out = resp.getOutputStream();
      out.write("retry: 3000\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      streams.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(async);
    }
  }

  private BareJettyPeer() {}
}
