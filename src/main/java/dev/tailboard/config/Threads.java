package dev.tailboard.config;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way executors are made here: named daemon threads (a thread dump says whose thread is
 * whose) and bounded queues. Their owners shut them down on undeploy.
 */
public final class Threads {

  private Threads() {}

  public static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A fixed pool whose idle threads time out, with a bounded task queue. */
  public static ThreadPoolExecutor pool(
      String prefix,
      int threads,
      BlockingQueue<Runnable> queue,
      RejectedExecutionHandler whenFull) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 60, TimeUnit.SECONDS, queue, named(prefix), whenFull);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  public static ScheduledExecutorService scheduler(String prefix) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, named(prefix));
    // a cancelled task (the close at a token's expiry, once its connection closed) leaves the
    // queue at once instead of waiting there for its time
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }
}
