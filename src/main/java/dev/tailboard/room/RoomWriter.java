package dev.tailboard.room;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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

  private BlockingQueue<Job> queue;
  private Thread thread;
  private volatile boolean running = true;

  @PostConstruct
  void start() {
    queue = new ArrayBlockingQueue<>(config.integer(Setting.WS_WRITE_QUEUE));
    thread = new Thread(this::run, "tailboard-room-writer");
    thread.setDaemon(true);
    thread.start();
  }

  @PreDestroy
  void stop() {
    running = false;
    thread.interrupt();
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
    try {
      store.appendAll(batch.stream().map(Job::write).toList());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "room messages not stored", e);
      Set<Room> rooms = new LinkedHashSet<>();
      batch.forEach(j -> rooms.add(j.room()));
      rooms.forEach(Room::failed);
      return;
    }
    for (Job j : batch) {
      j.room().durable(j.write().frame().seq());
    }
  }
}
