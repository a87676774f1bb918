package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tailboard.config.Config;
import dev.tailboard.store.Build;
import dev.tailboard.store.ChunkSeq;
import dev.tailboard.store.JdbcEventStore;
import dev.tailboard.store.JdbcRoomStore;
import dev.tailboard.store.Mutation;
import dev.tailboard.store.NewBuild;
import dev.tailboard.store.RoomStore;
import dev.tailboard.store.RoomStore.DocUpdate;
import dev.tailboard.store.RoomStore.Snapshot;
import dev.tailboard.store.RoomStore.StoredFrame;
import dev.tailboard.store.RoomStore.Write;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.store.TestStores;
import dev.tailboard.support.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retention on a real (H2) database: what it deletes, what it keeps, and its schedule. */
class RetentionTest {

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  private final TestStores.Embedded db = stores();
  private final JdbcEventStore events = db.events();
  private final JdbcRoomStore rooms = db.rooms();
  private final Map<String, String> settings = new HashMap<>();
  private final Retention retention = new Retention();

  /** The database the test runs on: a fresh in-memory H2 one here. */
  TestStores.Embedded stores() {
    return TestStores.embedded();
  }

  RetentionTest() {
    retention.config = new Config(settings::get, Map.of());
    retention.builds = events;
    retention.rooms = rooms;
  }

  @AfterEach
  void close() throws InterruptedException {
    retention.stop();
    retention.awaitStopped(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> retentionThreads().isEmpty());
    db.close();
  }

  private void set(String key, Object value) {
    settings.put("tailboard." + key, String.valueOf(value));
  }

  /** A build with a log line, a stored chunk and room history, finished at {@code time}. */
  private long finished(String status, Instant time) {
    long id = running();
    String at = time.toString();
    events.mutate(
        id,
        null,
        b -> {
          Build done =
              b.withProgress(status, b.steps(), b.lineCount(), b.lastEventId() + 1, at, at);
          StoredEvent event = new StoredEvent(id, done.lastEventId(), "status", "{}", 0, 0);
          return new Mutation(done, List.of(event), "{}");
        });
    return id;
  }

  private long running() {
    long id =
        events
            .createBuild(new NewBuild("p/q", null, null, null, null), null, null, b -> "{}")
            .build()
            .id();
    events.mutate(
        id,
        new ChunkSeq(1, "f"),
        b -> {
          Build more =
              b.withProgress("running", b.steps(), 1, b.lastEventId() + 1, NOW.toString(), null);
          StoredEvent line = new StoredEvent(id, more.lastEventId(), "log", "{}", 1, 1);
          return new Mutation(more, List.of(line), "{}");
        });
    String room = RoomStore.buildRoom(id);
    rooms.appendAll(
        List.of(
            new Write(room, new StoredFrame(1, "chat", "c1", "{}"), null, null, null),
            new Write(
                room,
                new StoredFrame(2, "doc.updates", null, "{}"),
                "notes",
                List.of(new DocUpdate(0, "me", "[]"), new DocUpdate(1, "me", "[]")),
                new Snapshot(1, "text"))));
    return id;
  }

  private boolean stored(long id) {
    String room = RoomStore.buildRoom(id);
    boolean build = events.findBuild(id).isPresent();
    boolean history =
        !events.readEvents(id, 0, Long.MAX_VALUE, 100, Long.MAX_VALUE).isEmpty()
            || !events.readLogEvents(id, 1, Long.MAX_VALUE, 100, Long.MAX_VALUE).isEmpty();
    boolean roomHistory =
        !rooms.after(room, 0, 100).isEmpty()
            || rooms.snapshot(room, "notes").version() != 0
            || !rooms.updates(room, "notes", 0).isEmpty();
    assertThat(history).as("events of build %s are there iff it is", id).isEqualTo(build);
    assertThat(roomHistory).as("room of build %s is there iff it is", id).isEqualTo(build);
    return build;
  }

  @Test
  void deletesFinishedBuildsPastRetentionWithTheirEventsLogAndRoomAndKeepsTheRest() {
    set("retention.days", 90);
    long old = finished("failed", NOW.minus(Duration.ofDays(91)));
    long oldCanceled = finished("canceled", NOW.minus(Duration.ofDays(400)));
    long recent = finished("passed", NOW.minus(Duration.ofDays(89)));
    long running = running();
    long queued =
        events
            .createBuild(new NewBuild("p/q", null, null, null, null), null, null, b -> "{}")
            .build()
            .id();

    int deleted = retention.deleteExpired(NOW);

    assertThat(deleted).isEqualTo(2);
    assertThat(stored(old)).isFalse();
    assertThat(stored(oldCanceled)).isFalse();
    assertThat(stored(recent)).isTrue();
    assertThat(stored(running)).isTrue();
    assertThat(events.findBuild(queued)).isPresent();
    assertThat(retention.deleteExpired(NOW)).as("a second run").isZero();

    BuildService service = new BuildService();
    service.store = events;
    assertThatThrownBy(() -> service.find(old))
        .isInstanceOfSatisfying(
            ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
  }

  @Test
  void runningBuildsAreNeverDeletedWhateverTheirAge() {
    set("retention.days", 1);
    long running = running();

    assertThat(retention.deleteExpired(NOW.plus(Duration.ofDays(3650)))).isZero();
    assertThat(events.deleteFinished(List.of(running))).isZero();
    assertThat(stored(running)).isTrue();
  }

  @Test
  void deletesInBatchesOfBatchSizeUntilNoneIsLeft() {
    set("retention.days", 90);
    set("retention.batchSize", 2);
    List<Long> old =
        java.util.stream.IntStream.range(0, 5)
            .mapToObj(i -> finished("passed", NOW.minus(Duration.ofDays(100))))
            .toList();

    assertThat(events.finishedBefore(NOW.minus(Duration.ofDays(90)).toEpochMilli(), 2))
        .containsExactly(old.get(0), old.get(1));
    assertThat(retention.deleteExpired(NOW)).isEqualTo(5);
    assertThat(old).noneMatch(this::stored);
  }

  @Test
  void zeroDaysKeepsEverythingAndStartsNoThread() {
    set("retention.days", 0);
    set("retention.intervalSeconds", 1);
    long old = finished("passed", NOW.minus(Duration.ofDays(10_000)));

    retention.start();

    assertThat(retention.deleteExpired(NOW)).isZero();
    assertThat(stored(old)).isTrue();
    assertThat(retentionThreads()).isEmpty();
  }

  @Test
  void runsEveryIntervalOnItsNamedThreadUntilStopped() throws InterruptedException {
    set("retention.days", 1);
    set("retention.intervalSeconds", 1);
    long old = finished("passed", Instant.now().minus(Duration.ofDays(2)));

    retention.start();

    // a run deletes the room's history before the build (a cut-off run leaves builds, never
    // history without its build): the two are consistent once the build is gone, not between
    await().atMost(Duration.ofSeconds(10)).until(() -> events.findBuild(old).isEmpty());
    assertThat(stored(old)).isFalse();
    assertThat(retentionThreads()).isNotEmpty();
    long later = finished("errored", Instant.now().minus(Duration.ofDays(3)));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.findBuild(later).isEmpty());
    assertThat(stored(later)).isFalse();

    retention.stop();
    assertThat(retention.awaitStopped(Duration.ofSeconds(10))).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> retentionThreads().isEmpty());
  }

  private static List<Thread> retentionThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("tailboard-retention-") && t.isAlive())
        .toList();
  }
}
