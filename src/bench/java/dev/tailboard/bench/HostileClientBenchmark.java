package dev.tailboard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.StalledWsClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The memory the server holds for ONE anonymous client at its worst (run by {@code
 * bench/hostile.sh}): from 127.0.0.1, with no token, as many SSE streams and long-polls as {@code
 * limits.connectionsPerClient} allows (one more must get 429), plus WebSocket watchers in the
 * builds' rooms, none of which ever reads. A separate, authenticated publisher meanwhile appends
 * log chunks to the builds, chats in their rooms (nearly {@code ws.maxMessageBytes} each, 40 a
 * second) and wakes the long-polls with one big chunk, until every anonymous connection has been
 * cut by the server (queue over its cap, or {@code sse/ws.writeTimeoutSeconds}) or the hold ends.
 *
 * <p>Heap after a full GC (jcmd) at the baseline (builds, rooms, publisher ready), with the
 * connections open and their queues still empty, the most of repeated samples while everything is
 * held (each sample is a full GC: a few seconds apart), and after the client has gone (a leak
 * check); beside it the bound the settings allow, per kind of connection.
 */
public final class HostileClientBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double MIB = 1048576.0;

  public static void main(String[] args) throws Exception {
    int limit = Integer.getInteger("bench.connectionsPerClient", 1000);
    int polls = Integer.getInteger("bench.polls", 100);
    int streams = Integer.getInteger("bench.streams", limit - polls);
    int watchers = Integer.getInteger("bench.watchers", 1000);
    int buildCount = Integer.getInteger("bench.builds", 2);
    // 1,000-line chunks (~105 KB events): in chunks of 100 the publisher, its every event fanned
    // out to 450 streams per build, did not get 4 MiB per build out inside the 10 s write deadline
    int chunkLines = Integer.getInteger("bench.chunkLines", 1000);
    int chatChars = Integer.getInteger("bench.chatChars", 60_000);
    int seedChats = Integer.getInteger("bench.seedChats", 50);
    int pollChunkLines = Integer.getInteger("bench.pollChunkLines", 10_000);
    int holdSeconds = Integer.getInteger("bench.holdSeconds", 40);
    Bound bound = Bound.fromProperties();
    URI base = URI.create(ItServer.baseUrl());

    List<Long> builds = HostilePublisher.createBuilds(buildCount, "bench/hostile");
    long pollBuild = HostilePublisher.createBuilds(1, "bench/hostile-poll").get(0);
    HostilePublisher publisher = new HostilePublisher(builds, chunkLines, chatChars);
    publisher.joinRooms(seedChats);
    long heapBaseline = heapAfterGc();
    // the publisher's own: its room connections, and the rooms' hub subscriptions
    ServerMetrics before = ServerMetrics.read();
    System.out.printf(
        "baseline: %.1f MiB; server holds %d WebSocket, %d SSE subscriptions, %d outputs%n",
        heapBaseline / MIB,
        before.wsConnections(),
        before.sseConnections(),
        before.outputConnections());

    AnonymousClient client = new AnonymousClient(base);
    for (int i = 0; i < streams; i++) {
      client.openStream(builds.get(i % buildCount));
    }
    int streamsAnswered = client.awaitAnswered(client.streamPorts(), Duration.ofSeconds(60));
    long pollAfter = lastEventId(pollBuild);
    for (int i = 0; i < polls; i++) {
      client.openPoll(pollBuild, pollAfter);
    }
    long pollsWaiting = awaitPollsWaiting(polls);
    int oneMoreStream =
        client.statusOfOneMore("/api/builds/" + builds.get(0) + "/events", "text/event-stream");
    int oneMorePoll =
        client.statusOfOneMore(
            "/api/builds/" + pollBuild + "/poll?after=" + pollAfter + "&wait=1", "*/*");
    System.out.printf(
        "%d of %d streams answered, %d polls waiting; one more stream: %d, one more poll: %d%n",
        streamsAnswered, streams, pollsWaiting, oneMoreStream, oneMorePoll);
    long heapOpen = heapAfterGc();
    System.out.printf("connections open, queues empty: %.1f MiB%n", heapOpen / MIB);

    // watchers first: their welcome (the room's last 50 chats) is queued at hello, before the
    // publisher's traffic, and the hold is timed from the publisher's start
    for (int i = 0; i < watchers; i++) {
      client.openWatcher(builds.get(i % buildCount));
    }
    int watchersAnswered = client.awaitAnswered(client.watcherPorts(), Duration.ofSeconds(60));
    for (StalledWsClient ws : client.watchers) {
      ws.sendText("{\"type\":\"hello\"}");
    }
    System.out.printf("%d of %d watchers answered and said hello%n", watchersAnswered, watchers);
    long start = System.nanoTime();
    publisher.start();
    // on its own thread: answering 100 polls with a big chunk each takes the server a while
    ExecutorService wake = Executors.newSingleThreadExecutor(BenchThreads.named("hostile-wake"));
    Future<?> woken =
        wake.submit(
            () -> {
              IngestBenchmark.append(
                  ServerProbe.http(), pollBuild, CiLogLines.chunk(11, pollChunkLines));
              return null;
            });

    Sample peak = hold(client, before, start, holdSeconds);
    double heldSeconds = (System.nanoTime() - start) / 1e9;
    Sample end = Sample.take(client, before, start, false);
    publisher.stop();
    woken.get(2, TimeUnit.MINUTES);
    wake.shutdown();
    client.close();
    boolean drained = awaitServerDrained(before, Duration.ofSeconds(30));
    long heapAfter = heapAfterGc();
    publisher.close();

    long held = peak.outputs + peak.ws;
    long idleConnections = streamsAnswered + pollsWaiting;
    System.out.println();
    System.out.println("| hostile client: figure | value |\n|---|---|");
    System.out.printf(
        "| connections asked / held | %d SSE streams (%d answered) and %d long-polls (%d waiting)"
            + " on %d + 1 builds; the next stream: **%s**, the next poll: **%s**; %d WebSocket"
            + " watchers (%d answered) |%n",
        streams,
        streamsAnswered,
        polls,
        pollsWaiting,
        buildCount,
        status(oneMoreStream),
        status(oneMorePoll),
        watchers,
        watchersAnswered);
    System.out.printf(
        "| publisher during the hold (%.0f s) | %,d lines in chunks of %d, %,d chats of %,d chars,"
            + " one %,d-line chunk to wake the polls |%n",
        heldSeconds,
        publisher.linesAppended(),
        chunkLines,
        publisher.chatsSent(),
        chatChars,
        pollChunkLines);
    System.out.printf(
        "| server heap after full GC: baseline → connections open (queues empty) → peak → client"
            + " gone | %.1f → %.1f → **%.1f** → %.1f MiB%s |%n",
        heapBaseline / MIB,
        heapOpen / MIB,
        peak.heap / MIB,
        heapAfter / MIB,
        drained ? "" : " (the server still counted some of its connections 30 s after it left)");
    System.out.printf(
        "| at the peak (%.1f s into the hold) | the client's sockets still established: %d"
            + " streams, %d polls, %d watchers; the server holds for it %d SSE subscriptions, %d"
            + " streaming responses (SSE and polls), %d WebSockets, %.1f MiB queued in outputs |%n",
        peak.seconds,
        peak.streams,
        peak.polls,
        peak.watchers,
        peak.sse,
        peak.outputs,
        peak.ws,
        peak.queuedBytes / MIB);
    System.out.printf(
        "| at the end of the hold (%.1f s) | the server holds for the client %d streaming"
            + " responses, %d WebSockets |%n",
        end.seconds, end.outputs, end.ws);
    System.out.printf(
        "| per connection, measured | %.1f KiB open and idle; %.1f KiB at the peak (over the %d"
            + " the server held then) |%n",
        (heapOpen - heapBaseline) / 1024.0 / Math.max(1, idleConnections),
        (peak.heap - heapBaseline) / 1024.0 / Math.max(1, held),
        held);
    long limitBytes = bound.total(streams, polls, watchers);
    System.out.printf(
        "| bound from the settings | %s = **%.0f MiB**; measured peak − baseline %.1f MiB (%.1f%%"
            + " of it) |%n",
        bound.describe(streams, polls, watchers),
        limitBytes / MIB,
        (peak.heap - heapBaseline) / MIB,
        100.0 * (peak.heap - heapBaseline) / limitBytes);
    ServerProbe.record(
        "hostile",
        ServerProbe.figures(
            "streams", streams,
            "streamsAnswered", streamsAnswered,
            "polls", polls,
            "pollsWaiting", pollsWaiting,
            "oneMoreStreamStatus", oneMoreStream,
            "oneMorePollStatus", oneMorePoll,
            "watchers", watchers,
            "watchersAnswered", watchersAnswered,
            "chunkLines", chunkLines,
            "chatChars", chatChars,
            "heapBaselineMiB", heapBaseline / MIB,
            "heapOpenMiB", heapOpen / MIB,
            "heapPeakMiB", peak.heap / MIB,
            "heapAfterMiB", heapAfter / MIB,
            "peakSeconds", peak.seconds,
            "heldAtPeak", held,
            "boundMiB", limitBytes / MIB,
            "linesAppended", publisher.linesAppended(),
            "chatsSent", publisher.chatsSent()));
    System.exit(0);
  }

  private static String status(int code) {
    return code < 0 ? "no answer in 10 s" : Integer.toString(code);
  }

  /**
   * Samples until the server holds none of the client's connections or {@code holdSeconds} have
   * passed since {@code start}; returns the sample with the most heap. A client of no connections
   * (the control run: the publisher alone) is held the whole time.
   */
  private static Sample hold(
      AnonymousClient client, ServerMetrics before, long start, int holdSeconds) throws Exception {
    long deadline = start + holdSeconds * 1_000_000_000L;
    Sample peak = null;
    while (System.nanoTime() < deadline) {
      Sample s = Sample.take(client, before, start, true);
      System.out.println("  " + s);
      if (peak == null || s.heap > peak.heap) {
        peak = s;
        // what the peak is made of, if asked (-Dbench.histogram=FILE; a second full GC)
        ServerProbe.histogram(System.getProperty("bench.histogram"));
      }
      if (s.outputs + s.ws == 0 && !client.isEmpty()) {
        break; // the server let go of everything: nothing more to hold
      }
      // a full GC per sample pauses the server: leave it a second between them
      awaitLetGo(before, Duration.ofSeconds(1));
    }
    return peak;
  }

  /** Waits up to {@code max} for the server to hold none of the client's connections. */
  private static void awaitLetGo(ServerMetrics before, Duration max) {
    try {
      Awaitility.await()
          .atMost(max)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                ServerMetrics m = ServerMetrics.read();
                return m.outputConnections() <= before.outputConnections()
                    && m.wsConnections() <= before.wsConnections();
              });
    } catch (ConditionTimeoutException e) {
      // still held: the next sample
    }
  }

  /** What one sample saw: heap after GC, the client's sockets still open, the server's gauges. */
  private record Sample(
      double seconds,
      long heap,
      int streams,
      int polls,
      int watchers,
      long sse,
      long ws,
      long outputs,
      long queuedBytes) {

    /** The server's gauges count the client's connections above those of the baseline. */
    static Sample take(AnonymousClient client, ServerMetrics before, long start, boolean withHeap)
        throws Exception {
      long heap = withHeap ? heapAfterGc() : -1;
      ServerMetrics m = ServerMetrics.read();
      return new Sample(
          (System.nanoTime() - start) / 1e9,
          heap,
          client.established(client.streamPorts()),
          client.established(client.pollPorts()),
          client.established(client.watcherPorts()),
          m.sseConnections() - before.sseConnections(),
          m.wsConnections() - before.wsConnections(),
          m.outputConnections() - before.outputConnections(),
          m.queuedOutputBytes());
    }

    @Override
    public String toString() {
      return String.format(
          "%5.1f s: heap %7.1f MiB; established %d streams, %d polls, %d watchers; server holds"
              + " for the client %d SSE, %d WebSocket, %d outputs, %.1f MiB queued in outputs",
          seconds, heap / MIB, streams, polls, watchers, sse, ws, outputs, queuedBytes / MIB);
    }
  }

  /**
   * The most the settings let one client make the server hold, per kind of connection: an SSE
   * stream its subscriber queue ({@code sse.queueBytes}) and what its output takes before the hub
   * waits ({@code sse.outputBytes}, plus one event, left out); a long-poll one answer ({@code
   * poll.maxBytes}, at least one event: the wake-up chunk may be bigger); a WebSocket watcher its
   * queue ({@code ws.queueBytes} characters, one byte each for Latin-1 text as here). The defaults
   * are the README's; pass {@code -Dbench.sse.queueBytes=...} etc. when the server runs with
   * others.
   */
  record Bound(long sseQueue, long sseOutput, long pollAnswer, long wsQueue) {

    static Bound fromProperties() {
      return new Bound(
          Long.getLong("bench.sse.queueBytes", 4_194_304),
          Long.getLong("bench.sse.outputBytes", 65_536),
          Long.getLong("bench.poll.maxBytes", 1_048_576),
          Long.getLong("bench.ws.queueBytes", 4_194_304));
    }

    long total(int streams, int polls, int watchers) {
      return streams * (sseQueue + sseOutput) + polls * pollAnswer + watchers * wsQueue;
    }

    String describe(int streams, int polls, int watchers) {
      return String.format(
          "%d × (%d + %d KiB) + %d × %d KiB + %d × %d KiB",
          streams,
          sseQueue / 1024,
          sseOutput / 1024,
          polls,
          pollAnswer / 1024,
          watchers,
          wsQueue / 1024);
    }
  }

  /**
   * The server's heap after a full GC, or -1 if jcmd did not answer within a minute (a server in
   * trouble must end the run with its figures, not hang it).
   */
  private static long heapAfterGc() throws InterruptedException {
    ExecutorService one = Executors.newSingleThreadExecutor(BenchThreads.named("hostile-jcmd"));
    try {
      Future<Long> heap = one.submit(ServerProbe::heapAfterGc);
      return heap.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      System.out.println("heap: " + e);
      return -1;
    } finally {
      one.shutdownNow();
    }
  }

  private static long lastEventId(long build) throws Exception {
    HttpResponse<String> r =
        ServerProbe.http()
            .send(
                IngestBenchmark.request("/api/builds/" + build).build(),
                HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).get("lastEventId").asLong();
  }

  /**
   * Waits until the server reports {@code n} long-polls waiting (30 s at most); returns its count.
   */
  private static long awaitPollsWaiting(int n) throws Exception {
    try {
      Awaitility.await("long-polls waiting")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> ServerMetrics.read().pollsWaiting() >= n);
    } catch (ConditionTimeoutException e) {
      // reported as the count waiting
    }
    return ServerMetrics.read().pollsWaiting();
  }

  /** Waits until the server holds no SSE stream, long-poll or WebSocket of the client any more. */
  private static boolean awaitServerDrained(ServerMetrics before, Duration max) {
    try {
      Awaitility.await("server drained")
          .atMost(max)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                ServerMetrics m = ServerMetrics.read();
                // the publisher's own room connections (and the rooms' subscriptions) stay
                return m.sseConnections() <= before.sseConnections()
                    && m.outputConnections() <= before.outputConnections()
                    && m.wsConnections() <= before.wsConnections();
              });
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  private HostileClientBenchmark() {}
}
