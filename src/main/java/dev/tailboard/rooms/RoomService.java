package dev.tailboard.rooms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.auth.Access;
import dev.tailboard.auth.Caller;
import dev.tailboard.builds.BuildMasks;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.config.Threads;
import dev.tailboard.hub.EventHub;
import dev.tailboard.hub.Listener;
import dev.tailboard.masks.Masker;
import dev.tailboard.metrics.Metrics;
import dev.tailboard.net.ClientOutputs;
import dev.tailboard.store.Build;
import dev.tailboard.store.ClusterBus;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.RoomStore;
import dev.tailboard.store.StoreException;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.Json;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Owns every room and connection: the WebSocket endpoint hands it frames, it checks them and
 * applies them to the right {@link Room}. Also relays a build's step and status events from the
 * {@link EventHub} into the build's room, pings every connection and closes the silent ones and
 * those with a write hanging past {@code ws.writeTimeoutSeconds}.
 *
 * <p>No thread of its own waits on a member's socket: sends run on {@code tailboard-ws-send} (async
 * sends only, never blocking), pings and closes on {@code tailboard-ws-blocking}, where a stalled
 * socket holds a thread until the write deadline aborts the connection.
 */
@ApplicationScoped
public class RoomService {

  private static final Logger LOG = Logger.getLogger(RoomService.class.getName());
  private static final Pattern FREE_ROOM = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern BUILD_ROOM = Pattern.compile("build-([0-9]{1,18})");
  private static final String CONNECTION = "tailboard.connection";
  private static final String CALLER = "tailboard.caller";
  private static final String HOLDS = "tailboard.holds";

  /** The room an admitted connection may join; absent on a refused one. */
  private static final String ROOM = "tailboard.room";

  private static final Set<String> WRITES = Set.of("chat", "point", "cursor", "doc.push");
  private static final String TOMCAT_BLOCKING_SEND_TIMEOUT =
      "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

  /** A build room's chat and notes are masked with the build's secret values; free rooms not. */
  private Masker masker(Room room) {
    Matcher build = BUILD_ROOM.matcher(room.name);
    if (!build.matches()) {
      return Masker.none();
    }
    return builds
        .findBuild(Long.parseLong(build.group(1)))
        .map(masks::forBuild)
        .orElse(Masker.none());
  }

  @Inject RoomStore store;
  @Inject RoomWriter writer;
  @Inject EventStore builds;
  @Inject EventHub hub;
  @Inject Json json;
  @Inject Config config;
  @Inject Access access;
  @Inject Metrics metrics;
  @Inject ClusterBus bus;
  @Inject ClientOutputs outputs;
  @Inject BuildMasks masks;

  private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RoomConnection> connections = new ConcurrentHashMap<>();
  private ScheduledExecutorService pinger;
  private ThreadPoolExecutor sender;
  private ThreadPoolExecutor blocking;
  private long pingMillis;
  private long writeTimeoutMillis;
  private RoomCluster cluster;
  private ClientRooms clientRooms;
  private int maxDocChars;

  /**
   * Threads for pings and closes: each stalled member can hold one for up to the write timeout, so
   * there are enough that a few stalled members leave the others' pings on time.
   */
  private static final int BLOCKING_THREADS = 32;

  @PostConstruct
  void start() {
    pingMillis = config.integer(Setting.WS_PING_SECONDS) * 1000L;
    writeTimeoutMillis = config.integer(Setting.WS_WRITE_TIMEOUT_SECONDS) * 1000L;
    clientRooms = new ClientRooms(config.integer(Setting.ROOMS_MAX_PER_CLIENT));
    maxDocChars = config.integer(Setting.ROOMS_MAX_DOC_CHARS);
    metrics.gauge(
        "tailboard.connections",
        "Open connections",
        this::connectionCount,
        "transport",
        "websocket");
    metrics.gauge("tailboard.rooms.loaded", "Rooms in memory", rooms::size);
    writer.queued(); // creates the group-commit thread and its meters now
    cluster = new RoomCluster(bus, store, json, rooms::get, rooms::values, pingMillis);
    cluster.start();
    sender =
        Threads.pool(
            "tailboard-ws-send",
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            new LinkedBlockingQueue<>(100_000),
            new ThreadPoolExecutor.AbortPolicy());
    blocking =
        Threads.pool(
            "tailboard-ws-blocking",
            BLOCKING_THREADS,
            new LinkedBlockingQueue<>(100_000),
            new ThreadPoolExecutor.AbortPolicy());
    pinger = Threads.scheduler("tailboard-ws-ping");
    pinger.scheduleAtFixedRate(this::pingAll, pingMillis, pingMillis, TimeUnit.MILLISECONDS);
    // the write timeout is checked ten times per timeout (at most once a second), so a stalled
    // write is closed at most a tenth of the timeout late
    long check = Math.max(100, Math.min(1000, writeTimeoutMillis / 10));
    pinger.scheduleAtFixedRate(this::closeStalled, check, check, TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  void stop() {
    cluster.stop();
    pinger.shutdownNow();
    connections.values().forEach(c -> c.close(CloseCodes.SHUTDOWN, "server shutting down"));
    sender.shutdownNow();
    // the closes just queued run; each waits on its socket at most the write timeout
    blocking.shutdown();
    try {
      if (!blocking.awaitTermination(writeTimeoutMillis + 1000, TimeUnit.MILLISECONDS)) {
        blocking.shutdownNow();
      }
    } catch (InterruptedException e) {
      blocking.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A connection opened on {@code /ws/rooms/{room}}, with what its handshake learnt (null when the
   * container shares handshake properties: {@link RoomConfigurator#handshake}).
   */
  public void open(Session session, String roomName, Handshake handshake) {
    session.setMaxTextMessageBufferSize(config.integer(Setting.WS_MAX_MESSAGE_BYTES));
    // A quiet member is kept by our pings (a missing pong closes it 1013); the container's own
    // idle timeout (Jetty: 30 s, as long as the default ping interval) must not close it first.
    // At least a minute, too: a reader that stalls is ours to close, with 1013, not the idle
    // timeout's (which drops the connection without a close frame).
    session.setMaxIdleTimeout(Math.max(60_000L, 3 * pingMillis));
    try {
      // each frame goes out as soon as it is sent, never held back for a batch
      session.getAsyncRemote().setBatchingAllowed(false);
    } catch (IOException e) {
      LOG.log(Level.FINE, "cannot turn off batching", e);
    }
    // The write deadline is ours (closeStalled), not the container's send timeout: Jetty 12.1's
    // does not end a stalled socket (its flusher waits for the pending write) but fails the
    // connection once that write completes, which would cost a reader who comes back its 1013.
    // Tomcat's blocking sends (sendPing, a normal close frame) wait this long, not its 20 s.
    session.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, writeTimeoutMillis);
    RoomConnection conn =
        new RoomConnection(
            session,
            config.integer(Setting.WS_QUEUE_FRAMES),
            config.integer(Setting.WS_QUEUE_BYTES),
            config.integer(Setting.WS_MAX_MESSAGES_PER_SECOND),
            sender,
            blocking);
    session.getUserProperties().put(CONNECTION, conn);
    connections.put(conn.id(), conn);
    if (handshake == null) {
      refuse(
          conn, "unavailable", "the server cannot tell handshakes apart", CloseCodes.SERVER_ERROR);
      return;
    }
    if (!admit(session, conn, roomName, handshake)) {
      return;
    }
    session.getUserProperties().put(CALLER, handshake.caller());
    session.getUserProperties().put(ROOM, roomName);
  }

  /**
   * Counts the connection against its client's bounds and checks the caller may enter; refuses it
   * (error frame, then close) if not. Whatever it counted is given back in {@link #closed}.
   */
  private boolean admit(Session session, RoomConnection conn, String roomName, Handshake hs) {
    // no address known (logged by the configurator): the socket counts alone, unbounded
    String client = hs.client() != null ? hs.client() : "socket " + conn.id();
    if (!outputs.acquire(client)) {
      refuse(
          conn,
          "too_many_connections",
          "this client holds "
              + outputs.maxPerClient()
              + " streams and WebSockets (limits.connectionsPerClient); close one first",
          CloseCodes.TOO_MANY_CONNECTIONS);
      return false;
    }
    Holds holds = new Holds(client);
    session.getUserProperties().put(HOLDS, holds);
    String refusal = hs.authError() != null ? hs.authError() : refusal(roomName, hs.caller(), conn);
    if (refusal != null) {
      refuse(conn, "forbidden", refusal, CloseCodes.POLICY);
      return false;
    }
    if (!clientRooms.enter(client, roomName)) {
      refuse(
          conn,
          "too_many_rooms",
          "this client is in "
              + clientRooms.maxPerClient()
              + " rooms already (rooms.maxPerClient); leave one first",
          CloseCodes.TOO_MANY_ROOMS);
      return false;
    }
    holds.room = roomName;
    if (hs.caller().expiresAt() != null) {
      // on the ping ticker, which never waits: the close itself runs on the blocking pool
      long delay = Math.max(0, hs.caller().expiresAt().toEpochMilli() - System.currentTimeMillis());
      try {
        holds.expiry =
            pinger.schedule(
                () -> conn.close(CloseCodes.TOKEN_EXPIRED, "token expired"),
                delay,
                TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        conn.close(CloseCodes.SHUTDOWN, "server shutting down"); // the ticker stopped
        return false;
      }
    }
    return true;
  }

  private void refuse(
      RoomConnection conn, String code, String message, CloseReason.CloseCode close) {
    conn.send(json.write(new Frames.Error(code, message, null)));
    conn.closeAfterQueued(close, message);
  }

  /** Why the caller may not enter the room, or null; if it may, sets whether it may write. */
  private String refusal(String room, Caller caller, RoomConnection conn) {
    Matcher build = BUILD_ROOM.matcher(room);
    if (build.matches()) {
      Optional<Build> b = builds.findBuild(Long.parseLong(build.group(1)));
      if (b.isEmpty()) {
        return "no build " + build.group(1);
      }
      if (!access.mayRead(caller, b.get().project())) {
        return "you may not read " + b.get().project();
      }
      conn.mayWrite = access.mayWriteInRoom(caller, b.get().project());
      return null;
    }
    if (room.startsWith("build-")) {
      // not a free room either: such a name would pass for a build's room
      return "build rooms are build-<id>, an id of at most 18 digits";
    }
    if (!FREE_ROOM.matcher(room).matches()) {
      return "room names are build-<id> or [a-z0-9][a-z0-9-]{0,63}";
    }
    if (!access.mayJoinFreeRoom(caller)) {
      return "a valid token is required";
    }
    conn.mayWrite = access.mayWriteInRoom(caller, null);
    return null;
  }

  /** A text frame from a client. */
  public void message(Session session, String text) {
    RoomConnection conn = connection(session);
    if (conn == null || !session.getUserProperties().containsKey(ROOM)) {
      // refused and closing: what it sent before its close arrived is ignored (a hello here
      // would have no room to join)
      return;
    }
    switch (conn.rate().take()) {
      case ABUSE -> {
        // the rate_limited errors queued before go out first: the client learns why
        conn.closeAfterQueued(CloseCodes.RATE_LIMITED, "rate limit exceeded");
        return;
      }
      case REFUSE -> {
        conn.send(json.write(new Frames.Error("rate_limited", "slow down: message dropped", null)));
        return;
      }
      default -> {}
    }
    JsonNode msg;
    try {
      msg = json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      conn.send(json.write(new Frames.Error("bad_json", "not a JSON object", null)));
      return;
    }
    try {
      dispatch(conn, session, msg);
    } catch (BadMessage e) {
      conn.send(json.write(new Frames.Error(e.code, e.getMessage(), ref(msg))));
    } catch (IllegalArgumentException e) {
      conn.send(json.write(new Frames.Error("bad_request", e.getMessage(), ref(msg))));
    } catch (InvalidChangeException e) {
      conn.send(json.write(new Frames.Error("bad_changes", e.getMessage(), ref(msg))));
    } catch (StoreException e) {
      LOG.log(Level.WARNING, "store failed in room", e);
      conn.send(json.write(new Frames.Error("unavailable", "not stored; try again", ref(msg))));
    }
  }

  private void dispatch(RoomConnection conn, Session session, JsonNode msg) {
    if (msg == null || !msg.isObject()) {
      throw new BadMessage("bad_json", "a frame is one JSON object");
    }
    String type = text(msg, "type");
    if (conn.room == null && !"hello".equals(type) && !"ping".equals(type)) {
      throw new BadMessage("hello_first", "send hello first");
    }
    if (WRITES.contains(type) && !conn.mayWrite) {
      throw new BadMessage("unauthorized", "sign in to write in this room");
    }
    switch (type) {
      case "hello" -> hello(conn, session, msg);
      case "ping" -> conn.send(json.write(new Frames.Pong()));
      case "chat" ->
          conn.room.chat(
              conn, text(msg, "id", 100), masker(conn.room).mask(text(msg, "text", 10_000)));
      case "point" -> conn.room.point(conn, number(msg, "line"), optionalNumber(msg, "build"));
      case "cursor" ->
          conn.room.cursor(
              conn, doc(conn, msg), (int) number(msg, "anchor"), (int) number(msg, "head"));
      case "doc.push" ->
          conn.room.push(
              conn, doc(conn, msg), (int) number(msg, "version"), updates(msg), masker(conn.room));
      case "doc.pull" -> conn.room.pull(conn, doc(conn, msg), (int) number(msg, "version"));
      default -> throw new BadMessage("unknown_type", "unknown type '" + type + "'");
    }
  }

  private void hello(RoomConnection conn, Session session, JsonNode msg) {
    if (conn.room != null) {
      throw new BadMessage("already_joined", "hello was already sent");
    }
    // the name of a signed-in caller is its token's subject, whatever it says; an anonymous one
    // (a member only where auth.anonymousRooms allows it) keeps its own, marked unverified
    Caller caller = (Caller) session.getUserProperties().get(CALLER);
    boolean signedIn = caller != null && caller.authenticated();
    String name;
    if (signedIn) {
      name = caller.name().length() > 64 ? caller.name().substring(0, 64) : caller.name();
    } else {
      name = msg.hasNonNull("name") ? text(msg, "name", 64) : "guest";
    }
    String sessionId = null;
    Long resumeSeq = null;
    JsonNode resume = msg.get("resume");
    if (resume != null && !resume.isNull()) {
      sessionId = resume.hasNonNull("session") ? text(resume, "session", 100) : null;
      resumeSeq = number(resume, "seq");
    }
    String roomName = (String) session.getUserProperties().get(ROOM);
    while (true) {
      Room room = rooms.computeIfAbsent(roomName, this::load);
      synchronized (room) {
        if (!room.isUnloaded()) {
          room.join(conn, name, !signedIn, sessionId, resumeSeq);
          return;
        }
      }
      rooms.remove(roomName, room);
    }
  }

  private Room load(String name) {
    Room room = Room.load(name, store, writer, json, cluster, maxDocChars);
    // what other nodes' members did while this room was loading
    cluster.resync(room);
    Matcher build = BUILD_ROOM.matcher(name);
    if (build.matches()) {
      try {
        room.relayWith(hub.listen(Long.parseLong(build.group(1)), new Relay(room)));
      } catch (NoSuchElementException e) {
        // the build is gone; the room still works
      }
    }
    return room;
  }

  /** A pong from the client. */
  public void pong(Session session) {
    RoomConnection conn = connection(session);
    if (conn != null) {
      conn.pong();
    }
  }

  /** The connection closed, for whatever reason. */
  public void closed(Session session) {
    RoomConnection conn = connection(session);
    if (conn == null) {
      return;
    }
    connections.remove(conn.id());
    if (session.getUserProperties().remove(HOLDS) instanceof Holds holds) {
      holds.release(outputs, clientRooms);
    }
    Room room = conn.room;
    if (room != null) {
      room.leave(conn);
      rooms.computeIfPresent(room.name, (k, r) -> r == room && r.unloadIfEmpty() ? null : r);
    }
  }

  /** Connections open now, for metrics and tests. */
  public int connectionCount() {
    return connections.size();
  }

  /** Runs on the ticker: queues pings and closes, never waits on a socket. */
  private void pingAll() {
    long now = System.nanoTime();
    long pongLimit = TimeUnit.MILLISECONDS.toNanos(2 * pingMillis + 1000);
    for (RoomConnection conn : new ArrayList<>(connections.values())) {
      if (conn.pongOverdue(now, pongLimit)) {
        conn.close(CloseCodes.TRY_AGAIN, "no pong");
      } else {
        conn.ping();
      }
    }
  }

  /** Closes, like an overflowing queue (1013), each connection with a write hanging too long. */
  private void closeStalled() {
    long now = System.nanoTime();
    long limit = TimeUnit.MILLISECONDS.toNanos(writeTimeoutMillis);
    for (RoomConnection conn : connections.values()) {
      conn.closeIfStalled(now, limit);
    }
  }

  private RoomConnection connection(Session session) {
    return (RoomConnection) session.getUserProperties().get(CONNECTION);
  }

  private static String ref(JsonNode msg) {
    JsonNode id = msg == null ? null : msg.get("id");
    return id != null && id.isTextual() ? id.asText() : null;
  }

  private static String doc(RoomConnection conn, JsonNode msg) {
    String doc = text(msg, "doc", 64);
    if (!conn.room.hasDoc(doc)) {
      throw new BadMessage("unknown_doc", "no document '" + doc + "' in this room");
    }
    return doc;
  }

  private static List<Frames.Update> updates(JsonNode msg) {
    JsonNode list = msg.get("updates");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new BadMessage("missing_field", "updates must be a non-empty array");
    }
    List<Frames.Update> out = new ArrayList<>();
    for (JsonNode u : list) {
      JsonNode changes = u.get("changes");
      if (changes == null || !changes.isArray()) {
        throw new BadMessage("missing_field", "each update needs changes (ChangeSet JSON)");
      }
      out.add(new Frames.Update(text(u, "clientID", 100), changes.toString()));
    }
    return out;
  }

  private static String text(JsonNode msg, String field) {
    return text(msg, field, 1000);
  }

  private static String text(JsonNode msg, String field, int max) {
    JsonNode v = msg.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new BadMessage("missing_field", field + " is required (a string)");
    }
    if (v.asText().length() > max) {
      throw new BadMessage("too_long", field + " may have at most " + max + " characters");
    }
    return v.asText();
  }

  private static long number(JsonNode msg, String field) {
    JsonNode v = msg.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
      throw new BadMessage("missing_field", field + " is required (a whole number ≥ 0)");
    }
    return v.asLong();
  }

  private static Long optionalNumber(JsonNode msg, String field) {
    return msg.has(field) && !msg.get(field).isNull() ? number(msg, field) : null;
  }

  /**
   * What a connection holds against its client's bounds: a connection slot, a room, and the close
   * scheduled at its token's expiry; given back once, when it closes.
   */
  private static final class Holds {
    private final String client;
    private volatile String room;
    private volatile ScheduledFuture<?> expiry;

    Holds(String client) {
      this.client = client;
    }

    void release(ClientOutputs outputs, ClientRooms rooms) {
      ScheduledFuture<?> scheduled = expiry;
      if (scheduled != null) {
        scheduled.cancel(false);
      }
      if (room != null) {
        rooms.leave(client, room);
      }
      outputs.release(client);
    }
  }

  /** Hub listener of a build for its room: step and status changes become {@code build} frames. */
  private record Relay(Room room) implements Listener {

    @Override
    public void onEvent(StoredEvent event) {
      if ("step".equals(event.type()) || "status".equals(event.type())) {
        room.relay(event.type(), event.data());
      }
    }
  }
}
