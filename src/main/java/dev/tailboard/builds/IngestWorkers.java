package dev.tailboard.builds;

import dev.tailboard.config.Threads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The threads that read, store and answer streamed log uploads. The container's read callbacks only
 * hand work over to them: Undertow (WildFly) calls a {@code ReadListener} on its I/O thread, where
 * a database commit would stall every connection of that thread and RESTEasy refuses to write an
 * answer ("Cannot use blocking IO ... on the IO thread").
 */
@ApplicationScoped
public class IngestWorkers {

  private static final int THREADS = 8;
  private static final int QUEUE = 10_000;

  private ThreadPoolExecutor pool;

  @PostConstruct
  void start() {
    // a full queue runs the task on the caller: slower, never a lost upload
    pool =
        Threads.pool(
            "tailboard-log-ingest",
            THREADS,
            new ArrayBlockingQueue<>(QUEUE),
            new ThreadPoolExecutor.CallerRunsPolicy());
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
  }

  Executor executor() {
    return pool;
  }
}
