package dev.tailboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailboard.testing.ItServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rooms under load, run by {@code bench/rooms.sh}: R rooms of M members (JDK WebSocket clients),
 * each member sending one chat per second for S seconds; every chat's send-to-receive latency at
 * every member. Before that, the server's heap per idle connection: live heap after a full GC
 * (jcmd) with all members joined, minus before, divided by the connections.
 */
public final class RoomBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Makes chat ids unique across runs: Tailboard answers a repeated id without a broadcast. */
  /** Close codes and errors of members, by reason, for the report. */
  private static final java.util.concurrent.ConcurrentHashMap<String, Integer> CLOSES =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

  public static void main(String[] args) throws Exception {
    int rooms = Integer.getInteger("bench.rooms", 200);
    int members = Integer.getInteger("bench.members", 10);
    int seconds = Integer.getInteger("bench.seconds", 20);
    ItServer.baseUrl();
    long heapBefore = ServerProbe.heapAfterGc();
    List<HttpClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(ServerProbe.http());
    }
    List<Member> all = new ArrayList<>();
    String wsBase = ItServer.baseUrl().replaceFirst("^http", "ws") + "/ws/rooms/";
    for (int r = 0; r < rooms; r++) {
      for (int m = 0; m < members; m++) {
        all.add(
            new Member(
                clients.get(all.size() % clients.size()),
                wsBase + "bench-" + r,
                m,
                2 * seconds * members + 100));
      }
    }
    long joinDeadline = System.nanoTime() + 60_000_000_000L;
    for (Member m : all) {
      m.joined.await(Math.max(0, joinDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    long joined = all.stream().filter(m -> m.joined.getCount() == 0).count();
    System.out.printf("joined: %d of %d; closed by the server: %s%n", joined, all.size(), CLOSES);
    long heapAfter = ServerProbe.heapAfterGc();
    long rss = ServerProbe.rss();
    int connections = all.size();
    System.out.printf(
        "connections: %d, live heap %d → %d KiB: %.1f KiB per idle connection%n",
        connections,
        heapBefore / 1024,
        heapAfter / 1024,
        (heapAfter - heapBefore) / 1024.0 / connections);

    ScheduledExecutorService senders = Executors.newScheduledThreadPool(4);
    AtomicInteger sent = new AtomicInteger();
    long cpuBefore = ServerProbe.cpuNanos();
    long start = System.nanoTime();
    for (int i = 0; i < all.size(); i++) {
      Member m = all.get(i);
      long offset = (long) (1_000_000.0 * i / all.size());
      senders.scheduleAtFixedRate(
          () -> {
            if (System.nanoTime() - start < seconds * 1_000_000_000L) {
              m.chat(sent.incrementAndGet());
            }
          },
          offset,
          1_000_000,
          TimeUnit.MICROSECONDS);
    }
    long expectedChats = (long) seconds * all.size();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(seconds + 30L))
        .until(
            () ->
                System.nanoTime() - start > (seconds + 5) * 1_000_000_000L
                    || all.stream().mapToLong(m -> m.count.get()).sum() >= expectedChats * members);
    senders.shutdownNow();
    long cpu = ServerProbe.cpuNanos() - cpuBefore;
    double elapsed = (System.nanoTime() - start) / 1e9;
    long expected = (long) sent.get() * members;
    long received = all.stream().mapToLong(m -> m.count.get()).sum();
    long[] latencies =
        all.stream().flatMapToLong(m -> Arrays.stream(m.latencies())).sorted().toArray();
    System.out.println();
    System.out.println("| scenario | figure |\n|---|---|");
    System.out.printf(
        "| %d rooms x %d members, 1 chat/s each for %d s | %,d chats sent, %,d of %,d deliveries (%.2f%%) |%n",
        rooms, members, seconds, sent.get(), received, expected, 100.0 * received / expected);
    System.out.printf(
        "| send-to-receive latency p50 / p99 / max | %.1f / %.1f / %.1f ms |%n",
        pct(latencies, 50), pct(latencies, 99), latencies[latencies.length - 1] / 1000.0);
    System.out.printf(
        "| server heap per idle WebSocket connection (in a room) | %.1f KiB |%n",
        (heapAfter - heapBefore) / 1024.0 / connections);
    ServerProbe.record(
        "rooms",
        ServerProbe.figures(
            "rooms",
            rooms,
            "members",
            members,
            "seconds",
            seconds,
            "joined",
            joined,
            "closes",
            CLOSES.toString(),
            "chats",
            sent.get(),
            "deliveries",
            received,
            "expected",
            expected,
            "throughput",
            received / elapsed,
            "p50",
            pct(latencies, 50),
            "p99",
            pct(latencies, 99),
            "max",
            latencies[latencies.length - 1] / 1000.0,
            "cpuMicrosPerDelivery",
            cpu / 1000.0 / Math.max(1, received),
            "heapPerConnKiB",
            (heapAfter - heapBefore) / 1024.0 / connections,
            "heapMiB",
            heapAfter / 1048576.0,
            "rssMiB",
            rss / 1048576.0));
    all.forEach(Member::close);
    System.exit(0);
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.min(sorted.length - 1, Math.ceil(sorted.length * (double) p / 100.0) - 1);
    return sorted[Math.max(0, i)] / 1000.0;
  }

  static long nowMicros() {
    return IngestBenchmark.nowMicros();
  }

  /** One member: joins, sends its chats, records every chat's latency. */
  static final class Member implements WebSocket.Listener {
    final CountDownLatch joined = new CountDownLatch(1);
    final AtomicLong count = new AtomicLong();
    private final long[] samples;
    private final AtomicInteger n = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket ws;
    private final int index;
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

    Member(HttpClient client, String url, int index, int expected) {
      this.index = index;
      this.samples = new long[expected];
      // signed in: writing in a room needs a token (the bare peer ignores it)
      String token =
          dev.tailboard.testing.ItServer.token(
              "m" + index, "read:**", java.time.Duration.ofHours(1));
      this.ws =
          client
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + token)
              .buildAsync(URI.create(url), this)
              .join();
      ws.sendText("{\"type\":\"hello\",\"name\":\"m" + index + "\"}", true).join();
    }

    synchronized void chat(int id) {
      String text =
          "{\"type\":\"chat\",\"id\":\"" + RUN + "-" + id + "\",\"text\":\"" + nowMicros() + "\"}";
      sending = sending.thenCompose(w -> ws.sendText(text, true));
    }

    long[] latencies() {
      return Arrays.copyOf(samples, Math.min(n.get(), samples.length));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      CLOSES.merge(statusCode + " " + reason, 1, Integer::sum);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      CLOSES.merge(error.toString(), 1, Integer::sum);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        long now = nowMicros();
        if (text.startsWith("{\"type\":\"welcome\"")) {
          joined.countDown();
        } else if (text.startsWith("{\"type\":\"chat\"")) {
          try {
            JsonNode chat = JSON.readTree(text);
            int i = n.getAndIncrement();
            if (i < samples.length) {
              samples[i] = now - Long.parseLong(chat.get("text").asText());
            }
            count.incrementAndGet();
          } catch (IOException | RuntimeException e) {
            // not ours
          }
        }
      }
      webSocket.request(1);
      return null;
    }

    void close() {
      ws.abort();
    }
  }

  private RoomBenchmark() {}
}
