package dev.tailboard.builds;

import dev.tailboard.config.Threads;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ScheduledExecutorService;

/** Owns the thread that publishes streamed log batches on their deadline. */
@ApplicationScoped
public class LogFlusher {

  private ScheduledExecutorService executor;

  @PostConstruct
  void start() {
    executor = Threads.scheduler("tailboard-log-flush");
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
  }

  ScheduledExecutorService executor() {
    return executor;
  }
}
