package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.testing.StalledWsClient;
import dev.tailboard.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Room writes (docs/rooms-delivery.md): a member that stops reading (its TCP window full) never
 * delays the others' chat or pings, and the server closes it once a write to it has hung past
 * {@code ws.writeTimeoutSeconds} (10 s by default; the IT server pings every second).
 */
class StalledMemberIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int SENDERS = 4;
  private static final int ROUNDS = 400;
  private static final String TEXT = "s".repeat(8_000);

  /** Chats must reach the others this fast, stalled member or not. */
  private static final long MAX_CHAT_MILLIS = 2_000;

  /** Three ping intervals without a ping: the pings are held up somewhere. */
  private static final long MAX_PING_GAP_MILLIS = 3_000;

  /** The write timeout, and as much again for the close to take effect. */
  private static final Duration STALLED_CLOSED_WITHIN = Duration.ofSeconds(20);

  private static WsClient join(String room, String name) {
    WsClient c = WsClient.connectAs(room, name);
    c.send(Map.of("type", "hello"));
    await().atMost(WAIT).until(() -> !c.of("welcome").isEmpty());
    return c;
  }

  private static boolean stalledLeft(WsClient watcher) {
    return watcher.has(
        "presence",
        p ->
            "left".equals(p.path("event").asText())
                && "stalled".equals(p.path("member").path("name").asText()));
  }

  @Test
  void aMemberWhoStopsReadingDelaysNobodyAndIsClosed() throws Exception {
    String room = "stall-" + UUID.randomUUID().toString().substring(0, 8);
    List<WsClient> watchers = new ArrayList<>();
    List<WsClient> senders = new ArrayList<>();
    try (StalledWsClient stalled = new StalledWsClient(room, "stalled")) {
      watchers.add(join(room, "watcher-a"));
      watchers.add(join(room, "watcher-b"));
      stalled.sendText("{\"type\":\"hello\",\"name\":\"stalled\"}");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  watchers
                      .get(0)
                      .has(
                          "presence",
                          p -> "stalled".equals(p.path("member").path("name").asText())));
      for (int s = 0; s < SENDERS; s++) {
        senders.add(join(room, "sender-" + s));
      }

      long[] lastPings = new long[watchers.size()];
      long[] lastPingAt = new long[watchers.size()];
      long start = System.nanoTime();
      for (int w = 0; w < watchers.size(); w++) {
        lastPings[w] = watchers.get(w).pings.get();
        lastPingAt[w] = start;
      }
      long maxChatMillis = 0;
      long maxPingGapMillis = 0;
      long stalledGoneAfterMillis = -1;
      int late = 0;
      long lastPongAt = start;
      // 400 rounds x 4 senders x 8 KB: 12.8 MB, far past what the stalled member's socket
      // buffers and its queue (ws.queueBytes, 4 MB) hold, in about 15 s
      for (int r = 0; r < ROUNDS; r++) {
        long sentAt = System.nanoTime();
        for (int s = 0; s < SENDERS; s++) {
          senders
              .get(s)
              .send(Map.of("type", "chat", "id", "c" + s + "-" + r, "text", r + " " + TEXT));
        }
        int expected = SENDERS * (r + 1);
        try {
          // the poll interval also keeps each sender under ws.maxMessagesPerSecond (50)
          await()
              .atMost(WAIT)
              .pollInterval(Duration.ofMillis(25))
              .until(() -> watchers.stream().allMatch(w -> w.of("chat").size() >= expected));
        } catch (ConditionTimeoutException e) {
          // counted as late below; the run goes on to measure the rest
        }
        long now = System.nanoTime();
        long chatMillis = (now - sentAt) / 1_000_000;
        maxChatMillis = Math.max(maxChatMillis, chatMillis);
        if (chatMillis > MAX_CHAT_MILLIS) {
          late++;
        }
        for (int w = 0; w < watchers.size(); w++) {
          long pings = watchers.get(w).pings.get();
          if (pings > lastPings[w]) {
            lastPings[w] = pings;
            lastPingAt[w] = now;
          }
          maxPingGapMillis = Math.max(maxPingGapMillis, (now - lastPingAt[w]) / 1_000_000);
        }
        // it answers no ping, so it says it is alive: only a stalled write may get it closed
        if (now - lastPongAt > 300_000_000L) {
          stalled.pong();
          lastPongAt = now;
        }
        if (stalledGoneAfterMillis < 0 && stalledLeft(watchers.get(0))) {
          stalledGoneAfterMillis = (now - start) / 1_000_000;
        }
      }
      long chatPhaseMillis = (System.nanoTime() - start) / 1_000_000;
      boolean stalledGone = true;
      try {
        await()
            .atMost(STALLED_CLOSED_WITHIN)
            .pollInterval(Duration.ofMillis(300))
            .until(() -> leftWhilePonging(stalled, watchers.get(0)));
      } catch (ConditionTimeoutException e) {
        stalledGone = false;
      }
      if (stalledGone && stalledGoneAfterMillis < 0) {
        stalledGoneAfterMillis = (System.nanoTime() - start) / 1_000_000;
      }
      System.out.printf(
          "StalledMemberIT: %d chats of %d chars in %d ms; slowest round to both watchers %d ms"
              + " (%d late); longest gap between pings %d ms; stalled member %s%n",
          SENDERS * ROUNDS,
          TEXT.length(),
          chatPhaseMillis,
          maxChatMillis,
          late,
          maxPingGapMillis,
          stalledGone ? "left after " + stalledGoneAfterMillis + " ms" : "still in the room");

      assertThat(maxChatMillis)
          .as("slowest chat round to the watchers (ms)")
          .isLessThan(MAX_CHAT_MILLIS);
      assertThat(late).as("rounds late").isZero();
      assertThat(maxPingGapMillis)
          .as("longest gap between pings (ms)")
          .isLessThan(MAX_PING_GAP_MILLIS);
      assertThat(stalledGone).as("stalled member closed by the server").isTrue();
      // and its socket ends: past the backlog the server left in it comes the end of the stream
      assertThat(stalled.drainUntilEnd(5_000)).as("bytes left in its socket").isNotNegative();
      for (WsClient w : watchers) {
        assertThat(w.of("chat")).hasSize(SENDERS * ROUNDS);
        assertThat(w.closeCode).isNotDone();
      }
    } finally {
      senders.forEach(WsClient::close);
      watchers.forEach(WsClient::close);
    }
  }

  /**
   * Whether the stalled member left, after one more pong: the pong rule must not be what ends it.
   */
  private static boolean leftWhilePonging(StalledWsClient stalled, WsClient watcher) {
    stalled.pong();
    return stalledLeft(watcher);
  }
}
