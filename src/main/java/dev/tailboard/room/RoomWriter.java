package dev.tailboard.room;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for room messages: one named thread takes every write waiting in a bounded queue,
 * stores them all in one transaction, then tells each room its messages are durable, in order, so
 * the room acknowledges and broadcasts them. A commit per message capped a 2-core machine at a few
 * hundred chats a second; one per batch keeps up with thousands.
 */
@ApplicationScoped
public class RoomWriter {

  private static final Logger LOG = Logger.getLogger(RoomWriter.class.getName());
  private static final int MAX_BATCH = 512;

  /** A write and the room to tell once it is durable. */
  record Job(Room room, RoomStore.Write write) {}

  @Inject RoomStore store;
  @Inject Config config;
  @Inject dev.tailboard.metrics.Metrics metrics;
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

  @PostConstruct
  void start() {
    queue = new ArrayBlockingQueue<>(config.integer(Setting.WS_WRITE_QUEUE));
    commits = metrics.timer("tailboard.room.store.write", "Group commits of room messages");
    metrics.gauge(
        "tailboard.room.write.queue", "Room messages waiting to be stored", () -> queue.size());
    fanOut =
        dev.tailboard.config.Threads.pool(
            "tailboard-room-fanout",
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            new LinkedBlockingQueue<>(100_000),
            // past the bound the writer fans out itself: slower, never lost
            new ThreadPoolExecutor.CallerRunsPolicy());
    thread = dev.tailboard.config.Threads.named("tailboard-room-writer").newThread(this::run);
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
  boolean offer(Room room, RoomStore.Write write) {
    return queue.offer(new Job(room, write));
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
    long started = System.nanoTime();
    try {
      store.appendAll(batch.stream().map(Job::write).toList());
      commits.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
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
    batch.forEach(j -> last.merge(j.room(), j.write().frame().seq(), Math::max));
    last.forEach((room, seq) -> fanOut.execute(() -> room.durable(seq)));
  }
}
