package dev.tailboard.store;

import dev.tailboard.config.Threads;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link ClusterBus} on PostgreSQL's {@code LISTEN/NOTIFY}: one notification channel, {@code
 * tailboard}, whose payloads name the sending node, so a node skips its own.
 *
 * <p>Two threads: {@code tailboard-bus-notify} sends everything queued in one round trip (and so
 * coalesces the announcements of a channel made meanwhile), at most every {@link #PACE_NANOS};
 * {@code tailboard-bus-listen} holds a connection outside the pool in {@code LISTEN}, hands each
 * notification to the listeners, and on any failure reconnects and tells them to catch up.
 *
 * <p>Payloads: {@code a <node> <position> <channel>} for an announcement, {@code m <node>
 * <channel>\n<payload>} for a message.
 */
final class PgNotifyBus implements ClusterBus, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PgNotifyBus.class.getName());
  private static final String CHANNEL = "tailboard";
  private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** Messages queued beyond this many bytes are dropped: they are ephemeral by contract. */
  private static final long MAX_QUEUED_BYTES = 4L << 20;

  private static final long RECONNECT_MILLIS = 500;

  /** The listening connection runs a query this often, so a dead server is noticed. */
  private static final int CHECK_MILLIS = 5_000;

  private final String nodeId = NodeIds.next();
  private final Database database;
  private final DataSource pool;
  private final Map<String, Long> announced = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Semaphore pending = new Semaphore(0);
  private final List<Map.Entry<String, Listener>> listeners = new CopyOnWriteArrayList<>();
  private final Thread sender;
  private final Thread receiver;
  private volatile boolean running = true;
  private volatile Connection listening;
  private volatile boolean listeningNow;

  PgNotifyBus(Database database) {
    this.database = database;
    this.pool = database.dataSource();
    sender = Threads.named("tailboard-bus-notify").newThread(this::sendLoop);
    receiver = Threads.named("tailboard-bus-listen").newThread(this::listenLoop);
    sender.start();
    receiver.start();
  }

  @Override
  public boolean clustered() {
    return true;
  }

  @Override
  public boolean connected() {
    return listeningNow;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void announce(String channel, long position) {
    announced.merge(channel, position, Math::max);
    pending.release();
  }

  @Override
  public void send(String channel, String payload) {
    int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PAYLOAD_BYTES) {
      throw new IllegalArgumentException("bus payload of " + bytes + " bytes");
    }
    // counted in chars, as taken off again below: the bound only needs to be a bound
    if (queuedBytes.addAndGet(payload.length()) > MAX_QUEUED_BYTES) {
      queuedBytes.addAndGet(-payload.length());
      LOG.fine("bus queue full: message dropped");
      return;
    }
    messages.add("m " + nodeId + " " + channel + "\n" + payload);
    pending.release();
  }

  @Override
  public void listen(String prefix, Listener listener) {
    listeners.add(Map.entry(prefix, listener));
  }

  @Override
  public void close() {
    running = false;
    sender.interrupt();
    receiver.interrupt();
    Connection c = listening;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }

  private void sendLoop() {
    while (running) {
      try {
        pending.acquire();
        pending.drainPermits();
        List<String> payloads = takeQueued();
        if (!payloads.isEmpty()) {
          notifyAll(payloads);
        }
        TimeUnit.NANOSECONDS.sleep(PACE_NANOS); // the coalescing window
      } catch (InterruptedException e) {
        return;
      } catch (SQLException | RuntimeException e) {
        // the other nodes catch up when their own bus reconnects or the next wake-up comes
        LOG.log(Level.WARNING, "cluster notification not sent", e);
      }
    }
  }

  private List<String> takeQueued() {
    List<String> payloads = new ArrayList<>();
    for (String channel : List.copyOf(announced.keySet())) {
      Long position = announced.remove(channel);
      if (position != null) {
        payloads.add("a " + nodeId + " " + position + " " + channel);
      }
    }
    for (String m; (m = messages.poll()) != null; ) {
      queuedBytes.addAndGet(-(m.length() - m.indexOf('\n') - 1));
      payloads.add(m);
    }
    return payloads;
  }

  /** One statement, one round trip: the notifications go out together at its commit. */
  private void notifyAll(List<String> payloads) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement q =
            c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', p) FROM unnest(?) AS p")) {
      Array array = c.createArrayOf("text", payloads.toArray());
      q.setArray(1, array);
      q.execute();
    }
  }

  private void listenLoop() {
    boolean first = true;
    while (running) {
      try (Connection c = database.connectOutsidePool()) {
        listening = c;
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        listeningNow = true;
        if (!first) {
          // listening again: whatever was announced while it was down is in the store
          listeners.forEach(l -> l.getValue().reconnected());
        }
        first = false;
        receive(c);
      } catch (SQLException | RuntimeException e) {
        listeningNow = false;
        if (running) {
          LOG.log(Level.WARNING, "cluster bus connection lost; reconnecting", e);
          first = false;
        }
      }
      try {
        Thread.sleep(RECONNECT_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void receive(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long checked = System.currentTimeMillis();
    while (running) {
      PGNotification[] received = pg.getNotifications(CHECK_MILLIS);
      if (received != null) {
        for (PGNotification n : received) {
          dispatch(n.getParameter());
        }
      }
      if (System.currentTimeMillis() - checked >= CHECK_MILLIS) {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT 1");
        }
        checked = System.currentTimeMillis();
      }
    }
  }

  private void dispatch(String payload) {
    try {
      if (payload.startsWith("a ")) {
        String[] parts = payload.split(" ", 4);
        if (!parts[1].equals(nodeId)) {
          long position = Long.parseLong(parts[2]);
          forEach(parts[3], l -> l.announced(parts[3], position));
        }
      } else if (payload.startsWith("m ")) {
        int newline = payload.indexOf('\n');
        String[] head = payload.substring(0, newline).split(" ", 3);
        if (!head[1].equals(nodeId)) {
          String body = payload.substring(newline + 1);
          forEach(head[2], l -> l.received(head[2], body));
        }
      }
    } catch (RuntimeException e) {
      // one bad payload or listener must not stop the bus
      LOG.log(Level.WARNING, "cluster notification not handled: " + payload, e);
    }
  }

  private void forEach(String channel, Consumer<Listener> call) {
    for (Map.Entry<String, Listener> l : listeners) {
      if (channel.startsWith(l.getKey())) {
        call.accept(l.getValue());
      }
    }
  }
}
