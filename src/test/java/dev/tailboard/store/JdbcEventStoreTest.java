package dev.tailboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Idempotency of {@link JdbcEventStore} on a real H2 database migrated by Flyway. */
class JdbcEventStoreTest {

  private static final NewBuild BODY = new NewBuild("p/q", "first", null, null, null);
  private static final NewBuild OTHER = new NewBuild("p/q", "second", null, null, null);

  private final TestStores.Embedded db = TestStores.embedded();
  private final JdbcEventStore store = db.events();

  @AfterEach
  void close() {
    db.close();
  }

  private Created create(NewBuild body, String key, String fingerprint) {
    return store.createBuild(body, key, fingerprint, b -> "{}");
  }

  /** Appends {@code line} as one log event; its reply is the line. */
  private static Function<Build, Mutation> line(String line) {
    return b -> {
      long id = b.lastEventId() + 1;
      long n = b.lineCount() + 1;
      Build after = b.withProgress(b.status(), b.steps(), n, id, null, null);
      return new Mutation(after, List.of(new StoredEvent(b.id(), id, "log", line, n, n)), line);
    };
  }

  private void forgetFingerprints() {
    db.events()
        .jdbc
        .inTransaction(
            c ->
                Jdbc.update(c, "UPDATE builds SET body_sha256 = NULL")
                    + Jdbc.update(c, "UPDATE log_chunks SET body_sha256 = NULL"));
  }

  @Test
  void aRepeatedKeyWithTheSameBodyReturnsTheFirstBuildAsNotNew() {
    Created first = create(BODY, "k", "f1");
    Created again = create(BODY, "k", "f1");
    Created unkeyed = create(BODY, null, "f1");

    assertThat(first.isNew()).isTrue();
    assertThat(again.isNew()).isFalse();
    assertThat(again.build()).isEqualTo(first.build());
    assertThat(unkeyed.isNew()).isTrue();
    assertThat(unkeyed.build().id()).isNotEqualTo(first.build().id());
  }

  @Test
  void aRepeatedKeyWithAnotherBodyIsRefusedAndCreatesNothing() {
    Created first = create(BODY, "k", "f1");

    assertThatThrownBy(() -> create(OTHER, "k", "f2"))
        .isInstanceOf(BodyMismatchException.class)
        .hasMessage("Idempotency-Key \"k\"");
    assertThat(store.listBuilds(new dev.tailboard.store.BuildFilter(null, null, 10, null)))
        .extracting(Build::id)
        .containsExactly(first.build().id());
  }

  @Test
  void aKeyStoredWithoutAFingerprintIsAnsweredAsBefore() {
    Created first = create(BODY, "k", "f1");
    forgetFingerprints();

    Created again = create(OTHER, "k", "f2");

    assertThat(again.isNew()).isFalse();
    assertThat(again.build().id()).isEqualTo(first.build().id());
  }

  @Test
  void aCreateThatLosesTheInsertRaceComparesBodiesToo() throws Exception {
    CompletableFuture<Created> same = new CompletableFuture<>();
    CompletableFuture<Created> other = new CompletableFuture<>();
    Created winner =
        store.createBuild(
            BODY,
            "k",
            "f1",
            b -> {
              // inside the winner's transaction, after its insert: the others see no row with
              // the key yet and insert too, which the unique constraint refuses once it commits
              List<Thread> racers = List.of(racer(BODY, "f1", same), racer(OTHER, "f2", other));
              // each racer has reached its insert of the key, where H2 makes it wait for this
              // transaction: it meets the unique constraint once the winner commits
              org.awaitility.Awaitility.await()
                  .atMost(java.time.Duration.ofSeconds(10))
                  .pollInterval(java.time.Duration.ofMillis(5))
                  .until(() -> racers.stream().allMatch(JdbcEventStoreTest::inInsert));
              return "{}";
            });

    assertThat(same.get(10, TimeUnit.SECONDS)).isEqualTo(new Created(winner.build(), false));
    assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(BodyMismatchException.class);
  }

  private static boolean inInsert(Thread t) {
    return java.util.Arrays.stream(t.getStackTrace())
        .anyMatch(f -> f.getClassName().equals("org.h2.command.dml.Insert"));
  }

  private Thread racer(NewBuild body, String fingerprint, CompletableFuture<Created> result) {
    Thread t =
        new Thread(
            () -> {
              try {
                result.complete(create(body, "k", fingerprint));
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            });
    t.start();
    return t;
  }

  @Test
  void aRepeatedSeqWithTheSameBodyGetsTheFirstReplyAndAppendsNothing() {
    long id = create(BODY, null, null).build().id();
    Outcome first = store.mutate(id, new ChunkSeq(1, "f1"), line("one"));
    Outcome again = store.mutate(id, new ChunkSeq(1, "f1"), line("again"));

    assertThat(first.repeated()).isFalse();
    assertThat(again.repeated()).isTrue();
    assertThat(again.reply()).isEqualTo("one");
    assertThat(store.findBuild(id).orElseThrow().lineCount()).isEqualTo(1);
  }

  @Test
  void theLogByteCountIsStoredWithTheAppendAndReadBack() {
    long id = create(BODY, null, null).build().id();
    store.mutate(id, null, b -> line("one").apply(b.withMoreLogBytes(4)));
    store.mutate(id, null, b -> line("two").apply(b.withMoreLogBytes(4)));

    Build stored = store.findBuild(id).orElseThrow();
    assertThat(stored.logBytes()).isEqualTo(8);
    assertThat(stored.lineCount()).isEqualTo(2);
  }

  @Test
  void deleteFinishedDeletesTheBuildsEventsAndChunksOfFinishedBuildsOnly() {
    long done = create(BODY, "k", "f1").build().id();
    long running = create(OTHER, null, null).build().id();
    for (long id : List.of(done, running)) {
      store.mutate(id, new ChunkSeq(1, "f1"), line("one"));
    }
    store.mutate(
        done,
        null,
        b -> {
          Build after =
              b.withProgress(
                  "passed",
                  b.steps(),
                  b.lineCount(),
                  b.lastEventId(),
                  null,
                  "2020-01-01T00:00:00Z");
          return new Mutation(after, List.of(), "{}");
        });

    assertThat(
            store.finishedBefore(
                java.time.Instant.parse("2020-01-02T00:00:00Z").toEpochMilli(), 10))
        .containsExactly(done);
    assertThat(
            store.finishedBefore(
                java.time.Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(), 10))
        .isEmpty();
    assertThat(store.deleteFinished(List.of(done, running, 999L))).isEqualTo(1);
    assertThat(store.deleteFinished(List.of(done))).isZero();

    assertThat(store.findBuild(done)).isEmpty();
    assertThat(rows("events", done)).isZero();
    assertThat(rows("log_chunks", done)).isZero();
    assertThat(rows("events", running)).isEqualTo(2);
    assertThat(rows("log_chunks", running)).isEqualTo(1);
    assertThat(store.findBuild(running)).isPresent();
    assertThatThrownBy(() -> store.mutate(done, null, line("late")))
        .isInstanceOf(java.util.NoSuchElementException.class);
    // the key is free again: a new build, not the deleted one
    assertThat(create(BODY, "k", "f1").isNew()).isTrue();
  }

  private long rows(String table, long buildId) {
    return db.rows(table, buildId);
  }

  @Test
  void aPageOfLogEventsStopsAtItsByteBoundButNeverComesBackEmpty() {
    long id = create(BODY, null, null).build().id();
    for (int i = 1; i <= 5; i++) {
      store.mutate(id, null, line("x".repeat(1000) + i));
    }
    // each event weighs about 1,065 bytes: a 2,000-byte page stops after the second
    assertThat(store.readLogEvents(id, 1, 5, 100, 2_000))
        .extracting(StoredEvent::firstLine)
        .containsExactly(1L, 2L);
    assertThat(store.readLogEvents(id, 3, 5, 100, 1))
        .extracting(StoredEvent::firstLine)
        .containsExactly(3L);
    assertThat(store.readLogEvents(id, 1, 5, 100, Long.MAX_VALUE)).hasSize(5);
  }

  @Test
  void sealedMasksAreStoredWithTheirCountAndReadInOrder() {
    long id = create(BODY, null, null).build().id();
    store.mutate(id, null, b -> new Mutation(b.withMoreMasks(2), List.of(), "", List.of("a", "b")));
    store.mutate(id, null, b -> new Mutation(b.withMoreMasks(1), List.of(), "", List.of("c")));

    assertThat(store.findBuild(id).orElseThrow().maskCount()).isEqualTo(3);
    assertThat(store.sealedMasks(id)).containsExactly("a", "b", "c");
  }

  @Test
  void aRewriteChangesOnlyTheLogEventsItChangesAcrossPagesAndReportsTheirLines() {
    long id = create(BODY, null, null).build().id();
    for (int i = 1; i <= 7; i++) {
      store.mutate(id, null, line(i % 3 == 0 ? "secret " + i : "plain " + i));
    }

    Rewritten r = store.rewriteLogEvents(id, d -> d.replace("secret", "***"), 2);

    assertThat(r.events()).isEqualTo(2);
    assertThat(r.firstLine()).isEqualTo(3);
    assertThat(r.lastLine()).isEqualTo(6);
    assertThat(store.readEvents(id, 0, 100, 100, Long.MAX_VALUE))
        .extracting(StoredEvent::data)
        .containsExactly(
            "{}", "plain 1", "plain 2", "*** 3", "plain 4", "plain 5", "*** 6", "plain 7");
    assertThat(store.rewriteLogEvents(id, d -> d.replace("secret", "***"), 2).events()).isZero();
  }

  @Test
  void aRepeatedSeqWithAnotherBodyIsRefusedAndAppendsNothing() {
    long id = create(BODY, null, null).build().id();
    store.mutate(id, new ChunkSeq(1, "f1"), line("one"));

    assertThatThrownBy(() -> store.mutate(id, new ChunkSeq(1, "f2"), line("other")))
        .isInstanceOf(BodyMismatchException.class)
        .hasMessage("seq 1 of build " + id);
    assertThat(store.findBuild(id).orElseThrow().lineCount()).isEqualTo(1);
    assertThat(store.readEvents(id, 0, 100, 100, Long.MAX_VALUE))
        .extracting(StoredEvent::data)
        .containsExactly("{}", "one");
  }

  @Test
  void aSeqStoredWithoutAFingerprintIsAnsweredAsBefore() {
    long id = create(BODY, null, null).build().id();
    store.mutate(id, new ChunkSeq(1, "f1"), line("one"));
    forgetFingerprints();

    Outcome again = store.mutate(id, new ChunkSeq(1, "f2"), line("other"));

    assertThat(again.repeated()).isTrue();
    assertThat(again.reply()).isEqualTo("one");
  }
}
