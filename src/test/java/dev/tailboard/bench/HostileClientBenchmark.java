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
    int chunkLines = Integer.getInteger("bench.chunkLines", 100);
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
    System.out.printf("baseline: %.1f MiB%n", heapBaseline / MIB);

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
    int oneMoreStream = client.statusOfOneMore("/api/builds/" + builds.get(0) + "/events");
    int oneMorePoll =
        client.statusOfOneMore("/api/builds/" + pollBuild + "/poll?after=" + pollAfter + "&wait=1");
    System.out.printf(
        "%d of %d streams answered, %d polls waiting; one more stream: %d, one more poll: %d%n",
        streamsAnswered, streams, pollsWaiting, oneMoreStream, oneMorePoll);
    long heapOpen = heapAfterGc();
    System.out.printf("connections open, queues empty: %.1f MiB%n", heapOpen / MIB);

    long start = System.nanoTime();
    publisher.start();
    IngestBenchmark.append(ServerProbe.http(), pollBuild, CiLogLines.chunk(11, pollChunkLines));
    for (int i = 0; i < watchers; i++) {
      client.openWatcher(builds.get(i % buildCount));
    }
    int watchersAnswered = client.awaitAnswered(client.watcherPorts(), Duration.ofSeconds(60));
    for (StalledWsClient ws : client.watchers) {
      ws.sendText("{\"type\":\"hello\"}");
    }
    System.out.printf("%d of %d watchers answered and said hello%n", watchersAnswered, watchers);

    Sample peak = hold(client, start, holdSeconds);
    double heldSeconds = (System.nanoTime() - start) / 1e9;
    Sample end = Sample.take(client, start, false);
    publisher.stop();
    client.close();
    boolean drained = awaitServerDrained(Duration.ofSeconds(30));
    long heapAfter = heapAfterGc();
    publisher.close();

    long held = peak.streams + peak.polls + peak.watchers;
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
        drained ? "" : " (the server still counted connections)");
    System.out.printf(
        "| at the peak (%.1f s into the hold) | %d streams, %d polls, %d watchers still"
            + " established; server: %d SSE, %d WebSocket, %d streaming responses, %.1f MiB"
            + " queued in outputs |%n",
        peak.seconds,
        peak.streams,
        peak.polls,
        peak.watchers,
        peak.sse,
        peak.ws,
        peak.outputs,
        peak.queuedBytes / MIB);
    System.out.printf(
        "| at the end of the hold (%.1f s) | %d streams, %d polls, %d watchers still"
            + " established |%n",
        end.seconds, end.streams, end.polls, end.watchers);
    System.out.printf(
        "| per connection, measured | %.1f KiB open and idle; %.1f KiB at the peak (over the %d"
            + " still established then) |%n",
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
   * Samples until every anonymous connection is gone or {@code holdSeconds} have passed since
   * {@code start}; returns the sample with the most heap.
   */
  private static Sample hold(AnonymousClient client, long start, int holdSeconds) throws Exception {
    long deadline = start + holdSeconds * 1_000_000_000L;
    Sample peak = null;
    while (System.nanoTime() < deadline) {
      Sample s = Sample.take(client, start, true);
      System.out.println("  " + s);
      if (peak == null || s.heap > peak.heap) {
        peak = s;
      }
      if (s.streams + s.polls + s.watchers == 0) {
        break; // the server cut everything: nothing more to hold
      }
      // a full GC per sample pauses the server: leave it a second between them
      awaitGone(client, Duration.ofSeconds(1));
    }
    return peak;
  }

  /** Waits up to {@code max} for every anonymous connection to be gone; false if some remain. */
  private static void awaitGone(AnonymousClient client, Duration max) {
    try {
      Awaitility.await()
          .atMost(max)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> client.established(client.allPorts()) == 0);
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

    static Sample take(AnonymousClient client, long start, boolean withHeap) throws Exception {
      long heap = withHeap ? heapAfterGc() : -1;
      ServerMetrics m = ServerMetrics.read();
      return new Sample(
          (System.nanoTime() - start) / 1e9,
          heap,
          client.established(client.streamPorts()),
          client.established(client.pollPorts()),
          client.established(client.watcherPorts()),
          m.sseConnections(),
          m.wsConnections(),
          m.outputConnections(),
          m.queuedOutputBytes());
    }

    @Override
    public String toString() {
      return String.format(
          "%5.1f s: heap %7.1f MiB; established %d streams, %d polls, %d watchers; server %d SSE,"
              + " %d WebSocket, %d outputs, %.1f MiB queued in outputs",
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

  /** Waits until the server holds no SSE stream, long-poll or WebSocket any more. */
  private static boolean awaitServerDrained(Duration max) {
    try {
      Awaitility.await("server drained")
          .atMost(max)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                ServerMetrics m = ServerMetrics.read();
                // the publisher's own room connections are still open
                return m.sseConnections() == 0 && m.outputConnections() == 0;
              });
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  private HostileClientBenchmark() {}
}
