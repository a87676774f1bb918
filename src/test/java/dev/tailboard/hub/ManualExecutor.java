package dev.tailboard.hub;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** Runs tasks only when the test says so, one at a time, so interleavings are chosen, not hoped. */
final class ManualExecutor implements Executor {

  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  synchronized int pending() {
    return tasks.size();
  }

  /** Runs the next task; false if there was none. */
  boolean runOne() {
    Runnable next;
    synchronized (this) {
      next = tasks.poll();
    }
    if (next == null) {
      return false;
    }
    next.run();
    return true;
  }

  /** Runs tasks until none is left (bounded, so a livelock fails the test instead of hanging). */
  void runAll() {
    for (int i = 0; i < 100_000 && runOne(); i++) {
      // the task ran
    }
  }
}
