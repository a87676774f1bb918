package dev.tailboard.rooms;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.config.Threads;
import dev.tailboard.metrics.Metrics;
import dev.tailboard.store.ClusterBus;
import dev.tailboard.store.RoomStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for room messages: one named thread takes every write waiting in a bounded queue,
 * stores them all in one transaction, then tells each room its messages are durable, in order, so
 * the room acknowledges and broadcasts them. A commit per message capped a 2-core machine at a few
 * hundred chats a second; one per batch keeps up with thousands.
 *
 * <p>In a cluster it announces each room's last stored seq on the {@link ClusterBus} after the
 * commit, so the other nodes with the room loaded read the new messages. A write refused because
 * another node stored that seq first is handed back to its room ({@link Room#conflicted}) on this
 * thread, before the next batch, so the room's writes still queued (now void: an older epoch) are
 * never stored out of order.
 *
 * <p>A batch that fails otherwise (the store is down) stores nothing: each of its rooms is told
 * ({@link Room#failed}), on this thread before the next batch, so that room's writes still queued
 * are void too and dropped; the failed room refuses further work and is loaded again on the next
 * join.
 */
@ApplicationScoped
public class RoomWriter {

  private static final Logger LOG = Logger.getLogger(RoomWriter.class.getName());
  private static final int MAX_BATCH = 512;

  /** A write, the room to tell once it is durable, and the room's epoch when it was queued. */
  record Job(Room room, int epoch, RoomStore.Write write) {}

  /** Channel prefix of stored-message announcements: {@code r:<room>}, position = last seq. */
  static final String STORED = "r:";

  @Inject RoomStore store;
  @Inject ClusterBus bus;
  @Inject Config config;
  @Inject Metrics metrics;
  private io.micrometer.core.instrument.Timer commits;

  private BlockingQueue<Job> queue;
  private Thread thread;

  /**
   * Sends what a batch made durable. Jetty writes a frame on the sending thread when the socket can
   * take it, so fanning out on the writer thread would serialise every room's sends behind one
   * thread and delay the next commit.
   */
  private ExecutorService fanOut;

  private volatile boolean running = true;

  /** {@code rooms.maxStoredMessages}: a room keeps this many of its newest stored messages. */
  private long maxStored;

  /** A room is pruned each time its seq passes a multiple of this: a tenth of the bound. */
  private long pruneEvery;

  @PostConstruct
  void start() {
    queue = new ArrayBlockingQueue<>(config.integer(Setting.WS_WRITE_QUEUE));
    maxStored = config.integer(Setting.ROOMS_MAX_STORED_MESSAGES);
    pruneEvery = Math.max(1, maxStored / 10);
    commits = metrics.timer("tailboard.room.store.write", "Group commits of room messages");
    metrics.gauge(
        "tailboard.room.write.queue", "Room messages waiting to be stored", () -> queue.size());
    fanOut =
        Threads.pool(
            "tailboard-room-fanout",
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            new LinkedBlockingQueue<>(100_000),
            // past the bound the writer fans out itself: slower, never lost
            new ThreadPoolExecutor.CallerRunsPolicy());
    thread = Threads.named("tailboard-room-writer").newThread(this::run);
    thread.start();
  }

  @PreDestroy
  void stop() {
    running = false;
    thread.interrupt();
    fanOut.shutdown();
  }

  /** Writes waiting for the next group commit. */
  int queued() {
    return queue.size();
  }

  /** Queues a write; false when the queue is full (the store cannot keep up). */
  boolean offer(Room room, int epoch, RoomStore.Write write) {
    return queue.offer(new Job(room, epoch, write));
  }

  private void run() {
    List<Job> batch = new ArrayList<>();
    while (running) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      commit(batch);
      batch.clear();
    }
  }

  private void commit(List<Job> batch) {
    batch.removeIf(j -> j.epoch() != j.room().epoch());
    if (batch.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    Set<RoomStore.Write> refused = Collections.newSetFromMap(new IdentityHashMap<>());
    try {
      refused.addAll(store.appendAll(batch.stream().map(Job::write).toList()));
      commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "room messages not stored", e);
      Set<Room> rooms = new LinkedHashSet<>();
      batch.forEach(j -> rooms.add(j.room()));
      rooms.forEach(Room::failed);
      return;
    }
    // One task per room, with its highest seq: Room.durable drains everything up to it in
    // order, so tasks of one room may even run out of order.
    Map<Room, Long> last = new LinkedHashMap<>();
    Map<Room, Long> firstRefused = new LinkedHashMap<>();
    for (Job j : batch) {
      long seq = j.write().frame().seq();
      if (refused.contains(j.write())) {
        firstRefused.merge(j.room(), seq, Math::min);
      } else {
        last.merge(j.room(), seq, Math::max);
      }
    }
    if (bus.clustered()) {
      last.forEach((room, seq) -> bus.announce(STORED + room.name, seq));
    }
    last.forEach(
        (room, seq) -> {
          if (!firstRefused.containsKey(room)) {
            fanOut.execute(() -> room.durable(seq));
          }
        });
    firstRefused.forEach(this::conflicted);
    prune(batch, last);
  }

  /**
   * Deletes the oldest stored messages of each room whose seq passed a multiple of {@link
   * #pruneEvery} in this batch, so a room holds at most {@code maxStored + pruneEvery} messages. On
   * this thread after the commit: one more statement per room only every {@code pruneEvery}
   * messages, and nothing stored in the batch waits for it. A failed prune is retried at the next
   * multiple.
   */
  private void prune(List<Job> batch, Map<Room, Long> last) {
    Map<Room, Long> first = new LinkedHashMap<>();
    batch.forEach(j -> first.merge(j.room(), j.write().frame().seq(), Math::min));
    last.forEach(
        (room, seq) -> {
          long before = first.get(room) - 1;
          if (seq > maxStored && before / pruneEvery != seq / pruneEvery) {
            try {
              store.prune(room.name, seq - maxStored);
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "room " + room.name + " not pruned", e);
            }
          }
        });
  }

  private void conflicted(Room room, long refusedSeq) {
    try {
      room.conflicted(refusedSeq);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "room " + room.name + " could not catch up after a conflict", e);
      room.failed();
    }
  }
}
