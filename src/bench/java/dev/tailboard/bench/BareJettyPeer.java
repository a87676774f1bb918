package dev.tailboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    /** A WebSocket ping to every member every 30 s, as Tailboard sends them (ws.pingSeconds). */
    void ping() {
      ByteBuffer empty = ByteBuffer.allocate(0);
      for (Set<Session> room : members.values()) {
        for (Session s : room) {
          try {
            s.getAsyncRemote().sendPing(empty);
          } catch (IOException | RuntimeException e) {
            // closing
          }
        }
      }
    }
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
        (servletContext, container) -> {
          container.setDefaultMaxSessionIdleTimeout(120_000);
          container.addEndpoint(
              ServerEndpointConfig.Builder.create(RoomSocket.class, "/ws/rooms/{room}")
                  .configurator(
                      new ServerEndpointConfig.Configurator() {
                        @Override
                        public <T> T getEndpointInstance(Class<T> type) {
                          return type.cast(new RoomSocket(rooms));
                        }
                      })
                  .build());
        });
    Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "peer-ping");
              t.setDaemon(true);
              return t;
            })
        .scheduleAtFixedRate(rooms::ping, 30, 30, TimeUnit.SECONDS);
    server.start();
    server.join();
  }

  /**
   * Builds without a store: each build keeps its encoded events in memory; a log chunk becomes one
   * event, written to every open SSE stream at once on the publisher's thread. A stream replays the
   * events after its {@code Last-Event-ID} (header or {@code lastEventId} query parameter) and then
   * joins the live set, under the build's lock, so none is lost or doubled; it gets {@code : ping}
   * every 15 s when idle, as Tailboard's do.
   */
  static final class Builds extends HttpServlet {
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Build> builds = new ConcurrentHashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "peer-heartbeat");
              t.setDaemon(true);
              return t;
            });

    /** One build: its events in id order (index = id - 1) and its open streams. */
    static final class Build {
      final List<byte[]> events = new ArrayList<>();
      final Set<AsyncContext> streams = ConcurrentHashMap.newKeySet();
      long lines;
    }

    Builds() {
      heartbeats.scheduleAtFixedRate(this::heartbeat, 15, 15, TimeUnit.SECONDS);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String[] path = req.getPathInfo() == null ? new String[0] : req.getPathInfo().split("/");
      resp.setContentType("application/json");
      if (path.length < 2) {
        req.getInputStream().readAllBytes();
        String id = Long.toString(ids.incrementAndGet());
        Build build = new Build();
        build.events.add(event(1, "build", "{\"id\":" + id + ",\"status\":\"queued\"}"));
        builds.put(id, build);
        resp.setStatus(201);
        resp.getWriter().write("{\"id\":" + id + "}");
        return;
      }
      Build build = builds.get(path[1]);
      JsonNode body = json.readTree(req.getInputStream());
      if (path.length > 2 && "status".equals(path[2])) {
        // a finished build for the stalled-reader scenario; its streams are not ended
        synchronized (build) {
          long id = build.events.size() + 1;
          byte[] bytes = event(id, "status", "{\"status\":" + body.get("status") + "}");
          build.events.add(bytes);
          for (AsyncContext c : build.streams) {
            write(build, c, bytes);
          }
        }
        resp.getWriter().write("{\"id\":" + path[1] + ",\"status\":" + body.get("status") + "}");
        return;
      }
      int count = body.get("lines").size();
      long first;
      long eventId;
      synchronized (build) {
        first = build.lines + 1;
        build.lines += count;
        eventId = build.events.size() + 1;
        byte[] bytes =
            event(eventId, "log", "{\"first\":" + first + ",\"lines\":" + body.get("lines") + "}");
        build.events.add(bytes);
        for (AsyncContext c : build.streams) {
          write(build, c, bytes);
        }
      }
      resp.getWriter()
          .write(
              "{\"first\":"
                  + first
                  + ",\"last\":"
                  + (first + count - 1)
                  + ",\"lastEventId\":"
                  + eventId
                  + "}");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Build build = builds.get(req.getPathInfo().split("/")[1]);
      String header = req.getHeader("Last-Event-ID");
      String last = header != null ? header : req.getParameter("lastEventId");
      resp.setContentType("text/event-stream");
      resp.setHeader("Cache-Control", "no-cache");
      AsyncContext async = req.startAsync();
      async.setTimeout(0);
      var out = resp.getOutputStream();
      out.write("retry: 3000\n\n".getBytes(StandardCharsets.US_ASCII));
      synchronized (build) {
        int after = 0;
        try {
          after = last == null ? 0 : Integer.parseInt(last.trim());
        } catch (NumberFormatException e) {
          // replay from the start
        }
        if (after < 0 || after > build.events.size()) {
          after = 0;
        }
        for (byte[] e : build.events.subList(after, build.events.size())) {
          out.write(e);
        }
        out.flush();
        build.streams.add(async);
      }
    }

    private static byte[] event(long id, String type, String data) {
      return ("id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n")
          .getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Build build, AsyncContext c, byte[] bytes) {
      try {
        var out = c.getResponse().getOutputStream();
        out.write(bytes);
        out.flush();
      } catch (IOException | RuntimeException e) {
        build.streams.remove(c);
      }
    }

    private void heartbeat() {
      byte[] ping = ": ping\n\n".getBytes(StandardCharsets.US_ASCII);
      for (Build build : builds.values()) {
        synchronized (build) {
          for (AsyncContext c : build.streams) {
            write(build, c, ping);
          }
        }
      }
    }
  }

  private BareJettyPeer() {}
}
