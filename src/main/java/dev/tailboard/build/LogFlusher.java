package dev.tailboard.build;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Owns the thread that publishes streamed log batches on their deadline. */
@ApplicationScoped
public class LogFlusher {

  private ScheduledExecutorService executor;

  @PostConstruct
  void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tailboard-log-flush");
              t.setDaemon(true);
              return t;
            });
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }

  ScheduledExecutorService executor() {
    return executor;
  }
}
