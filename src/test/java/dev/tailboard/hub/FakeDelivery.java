package dev.tailboard.hub;

import dev.tailboard.store.StoredEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A connection for the hub's tests: records what it is handed; takes {@code room} events and then
 * reports itself full (a client that stopped reading) until {@link #drained()}.
 */
final class FakeDelivery implements Delivery {

  final List<StoredEvent> sent = new ArrayList<>();
  int heartbeats;
  int closed;
  int aborted;
  long blockedSince;
  int queueShares = 1;
  private int room;
  private Runnable waiter;

  /** Released to let {@link #close} / {@link #abort} return; null: they return at once. */
  volatile CountDownLatch endBlocksUntil;

  FakeDelivery(int room) {
    this.room = room;
  }

  static FakeDelivery healthy() {
    return new FakeDelivery(Integer.MAX_VALUE);
  }

  synchronized List<Long> ids() {
    return sent.stream().map(StoredEvent::id).toList();
  }

  /** Lines delivered, counted from the log events' line ranges. */
  synchronized long lines() {
    return sent.stream()
        .filter(StoredEvent::isLog)
        .mapToLong(e -> e.lastLine() - e.firstLine() + 1)
        .sum();
  }

  synchronized boolean parked() {
    return waiter != null;
  }

  /** The client read everything: room again, and the parked drain is woken. */
  void drained() {
    Runnable w;
    synchronized (this) {
      room = Integer.MAX_VALUE;
      w = waiter;
      waiter = null;
    }
    if (w != null) {
      w.run();
    }
  }

  @Override
  public synchronized void send(StoredEvent event) throws IOException {
    if (closed + aborted > 0) {
      throw new IOException("closed");
    }
    sent.add(event);
    if (room != Integer.MAX_VALUE) {
      room--;
    }
  }

  @Override
  public int queueShares() {
    return queueShares;
  }

  @Override
  public synchronized void heartbeat() {
    heartbeats++;
  }

  @Override
  public synchronized boolean ready() {
    return room > 0 || closed + aborted > 0;
  }

  @Override
  public synchronized boolean whenReady(Runnable resume) {
    if (ready()) {
      return false;
    }
    waiter = resume;
    return true;
  }

  @Override
  public synchronized long blockedSince() {
    return blockedSince;
  }

  @Override
  public void close() {
    await();
    synchronized (this) {
      closed++;
    }
  }

  @Override
  public void abort() {
    await();
    Runnable w;
    synchronized (this) {
      aborted++;
      w = waiter;
      waiter = null;
    }
    if (w != null) {
      w.run();
    }
  }

  private void await() {
    CountDownLatch latch = endBlocksUntil;
    if (latch != null) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
