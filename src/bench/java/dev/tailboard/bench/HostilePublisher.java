package dev.tailboard.bench;

import dev.tailboard.testing.WsClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;

/**
 * The authenticated publisher that keeps the hostile client's queues filling: log chunks appended
 * to every build as fast as the server takes them (one thread per build), and, as a signed-in
 * member of each build's room, chats of nearly {@code ws.maxMessageBytes} at 40 a second (under
 * {@code ws.maxMessagesPerSecond}, 50). It is a separate client: what the server holds for it (its
 * room connections, the rooms, the stored chats) is in the baseline, taken after {@link
 * #joinRooms}.
 */
final class HostilePublisher implements AutoCloseable {

  private final HttpClient http = ServerProbe.http();
  private final List<Long> builds;
  private final int chunkLines;
  private final String chatText;
  private final List<WsClient> members = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong linesAppended = new AtomicLong();
  private final AtomicLong chatsSent = new AtomicLong();
  private final AtomicLong chatId = new AtomicLong();
  private ExecutorService appenders;
  private ScheduledExecutorService chatter;

  HostilePublisher(List<Long> builds, int chunkLines, int chatChars) {
    this.builds = builds;
    this.chunkLines = chunkLines;
    this.chatText = "c".repeat(chatChars);
  }

  /** Creates {@code n} builds, each with one small chunk (its streams then replay one event). */
  static List<Long> createBuilds(int n, String project) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long id = IngestBenchmark.createBuild(project);
      IngestBenchmark.append(ServerProbe.http(), id, CiLogLines.chunk(1, 10));
      ids.add(id);
    }
    return ids;
  }

  /**
   * Joins each build's room as a member and stores {@code chats} large chats there, so every {@code
   * welcome} a watcher gets carries them (the last 50 of the room).
   */
  void joinRooms(int chats) throws InterruptedException {
    for (long build : builds) {
      WsClient member = WsClient.connectAs("build-" + build, "bench-publisher");
      member.send(Map.of("type", "hello"));
      members.add(member);
    }
    startChatting();
    Awaitility.await("seed chats")
        .atMost(Duration.ofSeconds(chats / 20 + 30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> chatsSent.get() >= (long) chats * members.size());
    stopChatting();
  }

  /** Starts appending and chatting until {@link #stop}. */
  void start() {
    running.set(true);
    appenders = Executors.newFixedThreadPool(builds.size(), BenchThreads.named("hostile-log"));
    for (long build : builds) {
      appenders.execute(() -> appendWhileRunning(build));
    }
    startChatting();
  }

  /** 40 chats a second in each room: under the rate limit (50), so none is refused. */
  private void startChatting() {
    chatter = Executors.newSingleThreadScheduledExecutor(BenchThreads.named("hostile-chat"));
    chatter.scheduleAtFixedRate(this::chatOnce, 0, 25, TimeUnit.MILLISECONDS);
  }

  private void stopChatting() throws InterruptedException {
    if (chatter != null) {
      chatter.shutdownNow();
      chatter.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private void appendWhileRunning(long build) {
    long first = 11;
    while (running.get()) {
      try {
        IngestBenchmark.append(http, build, CiLogLines.chunk(first, chunkLines));
        first += chunkLines;
        linesAppended.addAndGet(chunkLines);
      } catch (Exception e) {
        System.out.println("publisher: append to " + build + " failed: " + e);
        return;
      }
    }
  }

  /** One chat in every room; a failed send is reported and the next tick tries again. */
  private void chatOnce() {
    for (WsClient member : members) {
      try {
        member.send(Map.of("type", "chat", "id", "h" + chatId.incrementAndGet(), "text", chatText));
        chatsSent.incrementAndGet();
      } catch (RuntimeException e) {
        System.out.println("publisher: chat failed: " + e);
      }
    }
  }

  void stop() throws InterruptedException {
    running.set(false);
    stopChatting();
    if (appenders != null) {
      appenders.shutdown();
      appenders.awaitTermination(2, TimeUnit.MINUTES);
    }
  }

  long linesAppended() {
    return linesAppended.get();
  }

  long chatsSent() {
    return chatsSent.get();
  }

  @Override
  public void close() throws Exception {
    stop();
    members.forEach(WsClient::close);
  }
}
