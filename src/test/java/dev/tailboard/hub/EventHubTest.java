package dev.tailboard.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.config.Threads;
import dev.tailboard.metrics.Metrics;
import dev.tailboard.store.Build;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.LogChunk;
import dev.tailboard.store.Mutation;
import dev.tailboard.store.NewBuild;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.store.TestStores;
import dev.tailboard.support.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub's delivery core with a fake store and, where the order of events matters, a manual
 * executor: each interleaving that once lost, doubled or stalled events is forced here.
 */
class EventHubTest {

  private static final long BUILD = 1;

  private final Json json = new Json();
  private final FakeStore store = new FakeStore();
  private final ManualExecutor manual = new ManualExecutor();
  private ThreadPoolExecutor pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private EventHub hub(Executor writers, int queueEvents, int replayPage) {
    return hub(store, writers, queueEvents, replayPage);
  }

  private EventHub hub(EventStore store, Executor writers, int queueEvents, int replayPage) {
    return hub(
        store, writers, new HubLimits(queueEvents, 1 << 20, 10_000, 15_000, replayPage, 1 << 20));
  }

  private EventHub hub(EventStore store, Executor writers, HubLimits limits) {
    LogMerger merger = new LogMerger();
    merger.json = json;
    HubMetrics metrics = new HubMetrics();
    metrics.metrics = new Metrics();
    metrics.register();
    return new EventHub(store, json, merger, metrics, limits, writers);
  }

  /** A running build with {@code lines} log events of one line each after its event 1. */
  private void running(int lines) {
    List<StoredEvent> events = new ArrayList<>();
    events.add(new StoredEvent(BUILD, 1, "build", "{}", 0, 0));
    for (int i = 1; i <= lines; i++) {
      events.add(log(i + 1, i));
    }
    store.put(build("running", lines + 1, lines), events);
  }

  private static Build build(String status, long lastEventId, long lines) {
    return new Build(
        BUILD,
        "p",
        null,
        null,
        null,
        null,
        status,
        List.of(),
        lines,
        lastEventId,
        "t",
        null,
        null,
        0,
        0);
  }

  private StoredEvent log(long id, long line) {
    String data = json.write(new LogChunk(line, List.of("line " + line), null, null, "t"));
    return new StoredEvent(BUILD, id, "log", data, line, line);
  }

  /** Publishes one log line through the hub: stored, then fanned out. */
  private void publishLine(EventHub hub) {
    hub.publish(
        BUILD,
        null,
        b -> {
          long id = b.lastEventId() + 1;
          long line = b.lineCount() + 1;
          Build after = b.withProgress(b.status(), b.steps(), line, id, null, null);
          return new Mutation(after, List.of(log(id, line)), "{}");
        });
  }

  private void publishStatus(EventHub hub, String status) {
    hub.publish(
        BUILD,
        null,
        b -> {
          long id = b.lastEventId() + 1;
          Build after = b.withProgress(status, b.steps(), b.lineCount(), id, null, null);
          StoredEvent e =
              new StoredEvent(BUILD, id, "status", "{\"status\":\"" + status + "\"}", 0, 0);
          return new Mutation(after, List.of(e), "{}");
        });
  }

  private static List<Long> upTo(long last) {
    return LongStream.rangeClosed(1, last).boxed().toList();
  }

  @Test
  void aBuildIsAnnouncedOnTheFeedOnceHoweverOftenItsCreateIsRepeated() {
    try (TestStores.Embedded db = TestStores.embedded()) {
      EventHub hub = hub(db.events(), manual, 256, 100);
      FakeDelivery feed = FakeDelivery.healthy();
      hub.subscribeAll(feed);
      NewBuild body = new NewBuild("p", null, null, null, null);

      long id = hub.create(body, "k", "f").build().id();
      assertThat(hub.create(body, "k", "f").isNew()).isFalse();
      assertThat(hub.create(body, "k", "f").build().id()).isEqualTo(id);
      long other = hub.create(body, null, "f").build().id();
      manual.runAll();

      assertThat(feed.sent).extracting(StoredEvent::buildId).containsExactly(id, other);
    }
  }

  @Test
  void aListenerHearsLiveEventsUntilTheBuildEndsAndIsNotCountedAsAConnection() {
    running(2);
    EventHub hub = hub(manual, 256, 100);
    List<Long> heard = new ArrayList<>();
    hub.listen(BUILD, e -> heard.add(e.id()));
    FakeDelivery client = FakeDelivery.healthy();
    hub.subscribeLive(BUILD, client);
    manual.runAll();
    assertThat(hub.subscriberCount()).isEqualTo(1); // the client only

    publishLine(hub);
    publishStatus(hub, "passed");
    manual.runAll();
    hub.tick(System.currentTimeMillis() + 60_000); // a client would be beaten; a listener not
    manual.runAll();

    assertThat(heard).containsExactly(4L, 5L); // nothing stored before it joined
    assertThat(client.ids()).containsExactly(4L, 5L);
    assertThat(hub.subscriberCount()).isZero();
    assertThat(hub.follows(BUILD)).isFalse(); // both ended with the build
  }

  @Test
  void theFeedAndABuildAreTopicsOfTheirOwn() {
    running(0);
    EventHub hub = hub(manual, 256, 100);
    FakeDelivery feed = FakeDelivery.healthy();
    hub.subscribeAll(feed);
    assertThat(hub.followsFeed()).isTrue();
    assertThat(hub.followedBuilds()).isEmpty();
    assertThat(hub.follows(BUILD)).isFalse();

    hub.subscribeLive(BUILD, FakeDelivery.healthy());
    assertThat(hub.followedBuilds()).containsExactly(BUILD);
  }

  @Test
  void eventsPublishedWhileASubscriberReplaysArriveOnceAndInOrder() {
    running(7);
    EventHub hub = hub(manual, 256, 3);
    int[] reads = {0};
    store.onRead =
        () -> {
          // a publisher commits and fans out while each of the first pages is read
          if (reads[0]++ < 3) {
            publishLine(hub);
          }
        };
    FakeDelivery d = FakeDelivery.healthy();
    hub.subscribe(BUILD, 0, d);
    manual.runAll();
    assertThat(d.ids()).containsExactlyElementsOf(upTo(11));
  }

  @Test
  void liveEventsOverflowingTheQueueDuringAReplayAreReadFromTheStoreInstead() {
    running(5);
    EventHub hub = hub(manual, 4, 2);
    int[] reads = {0};
    store.onRead =
        () -> {
          if (reads[0]++ == 1) {
            for (int i = 0; i < 20; i++) {
              publishLine(hub); // far more than the queue holds
            }
          }
        };
    FakeDelivery d = FakeDelivery.healthy();
    hub.subscribe(BUILD, 2, d);
    manual.runAll();
    assertThat(d.ids()).containsExactlyElementsOf(upTo(26).subList(2, 26));
    assertThat(d.aborted).isZero();
  }

  @Test
  void theStreamsOfOneConnectionShareItsQueueBytes() {
    running(0);
    EventHub hub =
        hub(store, manual, new HubLimits(1_000_000, 64_000, 10_000, 15_000, 500, 1 << 20));
    // each takes the first live event, then its client stops reading
    FakeDelivery alone = new FakeDelivery(1);
    FakeDelivery oneOfFour = new FakeDelivery(1);
    oneOfFour.queueShares = 4;
    hub.subscribe(BUILD, 1, alone);
    hub.subscribe(BUILD, 1, oneOfFour);
    manual.runAll();
    int sharedCut = publishUntilCut(hub, oneOfFour);
    assertThat(alone.aborted).as("the connection with the whole budget").isZero();
    int aloneCut = sharedCut + publishUntilCut(hub, alone);
    // merged log events hold a quarter of the bytes: about a quarter of the lines
    assertThat(aloneCut).isBetween(3 * sharedCut, 5 * sharedCut);
  }

  @Test
  void aStreamWithASmallShareStillTakesAnyOneEvent() {
    running(0);
    EventHub hub = hub(store, manual, new HubLimits(256, 64_000, 10_000, 15_000, 500, 1 << 20));
    FakeDelivery oneOf51 = FakeDelivery.healthy();
    oneOf51.queueShares = 51; // a share of 1,254 bytes
    hub.subscribe(BUILD, 1, oneOf51);
    manual.runAll();
    String big = "x".repeat(20_000); // a log event far bigger than the share, as 10,000 lines make
    hub.publish(
        BUILD,
        null,
        b -> {
          long id = b.lastEventId() + 1;
          Build after = b.withProgress(b.status(), b.steps(), 1, id, null, null);
          return new Mutation(after, List.of(new StoredEvent(BUILD, id, "log", big, 1, 1)), "{}");
        });
    manual.runAll();
    assertThat(oneOf51.aborted).isZero();
    assertThat(oneOf51.ids()).containsExactly(2L);
  }

  /** Publishes lines that nobody reads until {@code d} is cut; returns how many. */
  private int publishUntilCut(EventHub hub, FakeDelivery d) {
    int lines = 0;
    while (d.aborted == 0) {
      assertThat(lines).as("lines published before the cut").isLessThan(100_000);
      publishLine(hub);
      lines++;
      manual.runAll();
    }
    return lines;
  }

  @Test
  void aSubscriberThatJoinedBeforeAnEventWasStoredGetsItOnceFromTheQueue() {
    running(2);
    EventHub hub = hub(manual, 256, 500);
    FakeDelivery d = FakeDelivery.healthy();
    hub.subscribe(BUILD, 3, d); // nothing to replay: at the newest id
    publishLine(hub);
    publishLine(hub);
    manual.runAll();
    assertThat(d.ids()).containsExactly(4L, 5L);
  }

  @Test
  void anotherNodesEventsThatArriveWithAGapAreReadFromTheStoreInOrder() {
    running(2);
    EventHub hub = hub(manual, 256, 500);
    FakeDelivery d = FakeDelivery.healthy();
    hub.subscribe(BUILD, 0, d);
    manual.runAll();
    // another node stored lines 3 and 4 (events 4, 5); this node hears of event 5 first
    running(4);
    hub.fanOutFromStore(BUILD, List.of(log(5, 4)), 0);
    manual.runAll();
    hub.fanOutFromStore(BUILD, List.of(log(4, 3)), 0); // late: already delivered from the store
    manual.runAll();
    assertThat(d.ids()).containsExactlyElementsOf(upTo(5));
  }

  @Test
  void aWakeUpFromAnotherNodeIsReadOnceForAllSubscribersOfTheBuild() {
    running(2);
    EventHub hub = hub(manual, 256, 500);
    List<FakeDelivery> subscribers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      FakeDelivery d = FakeDelivery.healthy();
      hub.subscribe(BUILD, 0, d);
      subscribers.add(d);
    }
    manual.runAll();
    running(6); // another node stored events 4 to 7
    int[] reads = {0};
    store.onRead = () -> reads[0]++;
    ClusterFollower follower = new ClusterFollower(hub);
    try {
      follower.announced(ClusterFollower.BUILD_CHANNEL + BUILD, 7);
      // each subscriber's drain is queued once the read is fanned out
      await().atMost(Duration.ofSeconds(10)).until(() -> manual.pending() == subscribers.size());
      manual.runAll();
    } finally {
      follower.stop();
    }
    subscribers.forEach(d -> assertThat(d.ids()).containsExactlyElementsOf(upTo(7)));
    assertThat(reads[0]).isEqualTo(1);
  }

  @Test
  void aStalledConnectionHoldsNoThreadThenItsLogEventsMergeThenItIsCut() {
    running(0);
    EventHub hub = hub(manual, 8, 500);
    FakeDelivery stalled = new FakeDelivery(2);
    hub.subscribe(BUILD, 0, stalled);
    manual.runAll();
    for (int i = 0; i < 9; i++) {
      publishLine(hub);
      manual.runAll();
    }
    // parked on the full connection: no task runs, no thread waits, the publisher went on
    assertThat(stalled.parked()).isTrue();
    assertThat(manual.pending()).isZero();
    assertThat(stalled.ids()).containsExactly(1L, 2L);
    publishLine(hub); // its queue holds 8 (events 3..10): they are merged into one
    assertThat(stalled.aborted).isZero();
    stalled.drained();
    manual.runAll();
    // lines 2..9 arrived as one merged event with the last id: ids skip, no line is lost
    assertThat(stalled.ids()).containsExactly(1L, 2L, 10L, 11L);
    assertThat(stalled.lines()).isEqualTo(10);

    FakeDelivery cut = new FakeDelivery(1);
    hub.subscribe(BUILD, 11, cut);
    manual.runAll();
    for (int i = 0; i < 40; i++) {
      String status = "running";
      hub.publish(
          BUILD,
          null,
          b -> {
            long id = b.lastEventId() + 1;
            Build after = b.withProgress(status, b.steps(), b.lineCount(), id, null, null);
            return new Mutation(
                after, List.of(new StoredEvent(BUILD, id, "step", "{}", 0, 0)), "{}");
          });
      manual.runAll(); // the other, reading subscriber keeps up
    }
    // step events do not merge: past the queue it is cut, to resume from the store
    assertThat(cut.aborted).isPositive();
    assertThat(hub.subscriberCount()).isEqualTo(1);
  }

  @Test
  void moreStalledReadersThanWriterThreadsDoNotDelayAHealthyOne() {
    running(0);
    pool =
        Threads.pool(
            "test-writer", 2, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
    EventHub hub = hub(pool, 256, 500);
    List<FakeDelivery> stalled = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      FakeDelivery s = new FakeDelivery(1);
      stalled.add(s);
      hub.subscribe(BUILD, 0, s);
    }
    FakeDelivery healthy = FakeDelivery.healthy();
    hub.subscribe(BUILD, 0, healthy);
    for (int i = 0; i < 50; i++) {
      publishLine(hub);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> healthy.ids().size() == 51);
    assertThat(healthy.ids()).containsExactlyElementsOf(upTo(51));
    assertThat(stalled).allMatch(FakeDelivery::parked);
  }

  @Test
  void endingAConnectionNeverHoldsTheLockAPublisherNeeds() throws Exception {
    running(0);
    EventHub hub = hub(manual, 256, 500);
    FakeDelivery d = FakeDelivery.healthy();
    d.endBlocksUntil = new CountDownLatch(1);
    hub.subscribe(BUILD, 0, d);
    manual.runAll();
    publishStatus(hub, "passed");
    // the drain writes the terminal status and closes the connection, which hangs
    CompletableFuture<Void> drain = CompletableFuture.runAsync(manual::runAll);
    await().until(() -> d.ids().size() == 2);
    // meanwhile a publisher fans out to the same subscription (still a member of the build's
    // topic until its connection is closed): it must not wait
    CompletableFuture.runAsync(() -> publishLine(hub)).get(5, TimeUnit.SECONDS);
    d.endBlocksUntil.countDown();
    drain.get(5, TimeUnit.SECONDS);
    assertThat(d.closed).isEqualTo(1);
  }

  @Test
  void aSubscriberJoiningWhileTheLastOneLeavesStillGetsLiveEvents() throws Exception {
    running(0);
    pool =
        Threads.pool(
            "test-writer", 2, new LinkedBlockingQueue<>(), new ThreadPoolExecutor.AbortPolicy());
    EventHub hub = hub(pool, 256, 500);
    for (int round = 0; round < 300; round++) {
      Subscription leaving = hub.subscribeLive(BUILD, FakeDelivery.healthy());
      FakeDelivery joining = FakeDelivery.healthy();
      CompletableFuture<Void> leave = CompletableFuture.runAsync(leaving::cancel, pool);
      Subscription joined = hub.subscribeLive(BUILD, joining);
      leave.get(5, TimeUnit.SECONDS);
      publishLine(hub);
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> !joining.ids().isEmpty());
      joined.cancel();
    }
  }

  @Test
  void aFinishedBuildIsReplayedThenClosedAndIsTickedMeanwhile() {
    running(3);
    EventHub hub = hub(manual, 256, 2);
    publishStatus(hub, "failed");
    FakeDelivery d = new FakeDelivery(1);
    d.blockedSince = 1_000;
    hub.subscribe(BUILD, 0, d);
    manual.runAll();
    assertThat(d.parked()).isTrue();
    assertThat(hub.subscriberCount()).isEqualTo(1);
    hub.tick(1_000 + 10_001); // its client took nothing for the write deadline
    manual.runAll();
    assertThat(d.aborted).isPositive();
    assertThat(d.closed).isZero();
    assertThat(hub.subscriberCount()).isZero();

    FakeDelivery whole = FakeDelivery.healthy();
    hub.subscribe(BUILD, 0, whole);
    manual.runAll();
    assertThat(whole.ids()).containsExactlyElementsOf(upTo(5));
    assertThat(whole.closed).isEqualTo(1);
    assertThat(whole.aborted).isZero();
  }

  @Test
  void anIdleSubscriberGetsAHeartbeatAndOnlyThen() {
    running(0);
    EventHub hub = hub(manual, 256, 500);
    FakeDelivery d = FakeDelivery.healthy();
    hub.subscribe(BUILD, 0, d);
    manual.runAll();
    hub.tick(System.currentTimeMillis());
    manual.runAll();
    assertThat(d.heartbeats).isZero();
    hub.tick(System.currentTimeMillis() + 15_000);
    manual.runAll();
    assertThat(d.heartbeats).isEqualTo(1);
  }

  @Test
  void aSubscriptionEndsAtTheFirstTickFromItsCallersExpiryOnAndWithoutOneNever() {
    running(1);
    EventHub hub = hub(manual, 256, 500);
    long expiry = System.currentTimeMillis() + 60_000;
    FakeDelivery expiring = FakeDelivery.healthy();
    hub.subscribe(BUILD, 0, expiring).endBy(Instant.ofEpochMilli(expiry));
    FakeDelivery lasting = FakeDelivery.healthy();
    hub.subscribe(BUILD, 0, lasting).endBy(null);
    manual.runAll();

    hub.tick(expiry - 1);
    manual.runAll();
    assertThat(expiring.closed).isZero();

    hub.tick(expiry);
    manual.runAll();
    assertThat(expiring.ids()).containsExactly(1L, 2L); // what it had, then closed, not aborted
    assertThat(expiring.closed).isEqualTo(1);
    assertThat(expiring.aborted).isZero();
    assertThat(lasting.closed).isZero();
    assertThat(hub.subscriberCount()).isEqualTo(1);

    publishLine(hub);
    manual.runAll();
    assertThat(expiring.ids()).containsExactly(1L, 2L);
    assertThat(lasting.ids()).containsExactly(1L, 2L, 3L);
  }
}
