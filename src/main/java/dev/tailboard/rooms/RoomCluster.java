package dev.tailboard.rooms;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.config.Threads;
import dev.tailboard.store.ClusterBus;
import dev.tailboard.store.RoomStore;
import dev.tailboard.support.Json;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rooms' link to the other nodes on the same database, through the {@link ClusterBus}:
 *
 * <ul>
 *   <li>{@code r:<room>} announcements (sent by {@link RoomWriter} after a commit, position = the
 *       last seq stored) make a node with the room loaded read the new messages ({@link
 *       Room#announced}), on {@code tailboard-room-catchup} threads;
 *   <li>{@code p:<room>} messages carry ephemeral frames (presence, point, cursor) as {@code
 *       {"node", "conn", "frame"}}; a node sends them to its members of the room;
 *   <li>{@code room_members} lists who is in which room on which node (for {@code welcome}), and
 *       {@code cluster_nodes} holds each node's heartbeat: every third of {@code ws.pingSeconds} a
 *       node beats and looks at the others; a node whose {@code seen_at} has not changed for a
 *       whole ping interval is dead: its rows are deleted and its members leave every room here.
 * </ul>
 *
 * <p>Presence work (table writes, bus presence, heartbeats, re-reads of the table) runs on one
 * thread, {@code tailboard-room-presence}, so what a node reads from the table and what the bus
 * told it are applied in the order they happened. On a single node ({@link ClusterBus#clustered()}
 * false) it does nothing at all.
 */
final class RoomCluster implements ClusterBus.Listener {

  private static final Logger LOG = Logger.getLogger(RoomCluster.class.getName());
  static final String EPHEMERAL = "p:";

  /** A frame for the members on other nodes, from a connection on {@code node}. */
  record PeerMessage(String node, String conn, @JsonRawValue String frame) {}

  private final ClusterBus bus;
  private final RoomStore store;
  private final Json json;
  private final Function<String, Room> loaded;
  private final Supplier<Collection<Room>> allLoaded;
  private final long tickMillis;
  private final long deadNanos;

  /** Per other node: its last {@code seen_at} and {@link System#nanoTime} when it changed. */
  private final Map<String, long[]> seen = new HashMap<>();

  /** This node has a heartbeat row (a missing one later means others took it for dead). */
  private boolean registered;

  private ThreadPoolExecutor catchUps;
  private ScheduledExecutorService presence;

  /**
   * @param loaded the loaded room of a name, or null
   * @param allLoaded every loaded room
   * @param pingMillis {@code ws.pingSeconds}: a node silent that long is dead
   */
  RoomCluster(
      ClusterBus bus,
      RoomStore store,
      Json json,
      Function<String, Room> loaded,
      Supplier<Collection<Room>> allLoaded,
      long pingMillis) {
    this.bus = bus;
    this.store = store;
    this.json = json;
    this.loaded = loaded;
    this.allLoaded = allLoaded;
    this.tickMillis = Math.max(100, pingMillis / 3);
    this.deadNanos = TimeUnit.MILLISECONDS.toNanos(pingMillis);
  }

  boolean clustered() {
    return bus.clustered();
  }

  String nodeId() {
    return bus.nodeId();
  }

  void start() {
    if (!clustered()) {
      return;
    }
    catchUps =
        Threads.pool(
            "tailboard-room-catchup",
            2,
            new LinkedBlockingQueue<>(100_000),
            new ThreadPoolExecutor.DiscardPolicy());
    presence = Threads.scheduler("tailboard-room-presence");
    // registered before any member joins, so a member's node always has its row
    beat();
    bus.listen(RoomWriter.STORED, this);
    bus.listen(EPHEMERAL, this);
    presence.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
  }

  void stop() {
    if (!clustered()) {
      return;
    }
    presence.shutdownNow();
    catchUps.shutdownNow();
    try {
      // the others drop this node's members at their next tick instead of a ping interval later
      store.forgetNode(nodeId());
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "could not forget this node", e);
    }
  }

  @Override
  public void announced(String channel, long position) {
    Room room = loaded.apply(channel.substring(RoomWriter.STORED.length()));
    if (room != null && room.announced(position)) {
      catchUps.execute(() -> catchUp(room));
    }
  }

  @Override
  public void received(String channel, String payload) {
    String name = channel.substring(EPHEMERAL.length());
    onPresenceThread(() -> fromPeer(name, payload));
  }

  @Override
  public void reconnected() {
    // what was announced or sent meanwhile is lost: read the store again
    for (Room room : allLoaded.get()) {
      if (room.announced(Long.MAX_VALUE)) {
        catchUps.execute(() -> catchUp(room));
      }
      resync(room);
    }
  }

  /** A member joined {@code room} here: recorded, then told to the other nodes. */
  void joined(Room room, String conn, Frames.Member member, String presenceFrame) {
    if (clustered()) {
      onPresenceThread(
          () -> {
            store.addMember(room.name, nodeId(), conn, json.write(member));
            send(room.name, conn, presenceFrame);
          });
    }
  }

  void left(Room room, String conn, String presenceFrame) {
    if (clustered()) {
      onPresenceThread(
          () -> {
            store.removeMember(room.name, nodeId(), conn);
            send(room.name, conn, presenceFrame);
          });
    }
  }

  /** Sends an ephemeral frame to the room's members on other nodes; never blocks. */
  void send(String room, String conn, String frame) {
    if (!clustered()) {
      return;
    }
    try {
      bus.send(EPHEMERAL + room, json.write(new PeerMessage(nodeId(), conn, frame)));
    } catch (IllegalArgumentException e) {
      // too big for a notification: ephemeral, so dropped like a frame to a slow member
      LOG.log(Level.FINE, "ephemeral frame too big for the bus", e);
    }
  }

  /** A loaded room: re-read its members on other nodes, after what the bus said meanwhile. */
  void resync(Room room) {
    if (clustered()) {
      onPresenceThread(
          () -> {
            long readAt = System.nanoTime();
            room.resyncPeers(store.members(room.name), readAt);
          });
    }
  }

  private void catchUp(Room room) {
    try {
      room.catchUpNow();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "room " + room.name + " could not read other nodes' messages", e);
    }
  }

  private void fromPeer(String name, String payload) {
    Room room = loaded.apply(name);
    if (room == null) {
      return;
    }
    try {
      JsonNode msg = json.mapper().readTree(payload);
      room.fromPeer(msg.path("node").asText(), msg.path("conn").asText(), msg.path("frame"));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "bad room message from another node", e);
    }
  }

  /** Heartbeat, then the others': dead nodes are forgotten and their members leave. */
  void tick() {
    try {
      beat();
      long readAt = System.nanoTime();
      Map<String, Long> nodes = store.nodes();
      Set<String> live = new HashSet<>();
      for (Map.Entry<String, Long> node : nodes.entrySet()) {
        if (node.getKey().equals(nodeId())) {
          continue;
        }
        long[] last = seen.get(node.getKey());
        if (last == null || last[0] != node.getValue()) {
          seen.put(node.getKey(), new long[] {node.getValue(), readAt});
          live.add(node.getKey());
        } else if (readAt - last[1] > deadNanos) {
          LOG.info("node " + node.getKey() + " stopped beating: its members leave");
          store.forgetNode(node.getKey());
        } else {
          live.add(node.getKey());
        }
      }
      seen.keySet().retainAll(live);
      for (Room room : allLoaded.get()) {
        room.dropDeadPeers(live, readAt);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "room heartbeat failed", e);
    }
  }

  private void beat() {
    boolean known = store.beat(nodeId(), System.currentTimeMillis());
    if (!known && registered) {
      // another node took this one for dead and told everyone its members left: they are back
      LOG.warning("this node was taken for dead; its room members join again");
      for (Room room : allLoaded.get()) {
        for (RoomConnection conn : room.connections()) {
          Frames.Member member = conn.member;
          store.addMember(room.name, nodeId(), conn.id(), json.write(member));
          send(room.name, conn.id(), json.write(new Frames.Presence("joined", member)));
        }
      }
    }
    registered = true;
  }

  private void onPresenceThread(Runnable task) {
    try {
      presence.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "room presence across nodes failed", e);
            }
          });
    } catch (RejectedExecutionException e) {
      // undeploying: the other nodes drop this node's members when its row is gone
    }
  }
}
