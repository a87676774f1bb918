package dev.tailboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.support.Json;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link JdbcEventStore} keeps of failures (docs/failures.md): the summary's columns,
 * annotations, their rewrite and deletion, and the list's ref filter and paging; on H2 here, on
 * PostgreSQL in {@code FailureStorePostgresIT}.
 */
class FailureStoreTest {

  private static final NewBuild BODY = new NewBuild("p/q", "first", null, null, null);

  private final TestStores.Embedded db = stores();
  private final JdbcEventStore store = db.events();

  TestStores.Embedded stores() {
    return TestStores.embedded();
  }

  @AfterEach
  void close() {
    db.close();
  }

  private Created create(NewBuild body, String key, String fingerprint) {
    return store.createBuild(body, key, fingerprint, b -> "{}");
  }

  private long rows(String table, long buildId) {
    return db.rows(table, buildId);
  }

  @Test
  void errorsAndAnnotationsAreStoredWithTheAppendAndDeletedWithTheBuild() {
    long id = create(BODY, null, null).build().id();
    Annotation boom = new Annotation("error", "boom", "src/app.js", 3, null, null, null, null, 1);
    Annotation care = new Annotation("warning", "care", null, null, null, null, null, "T", 2);
    store.mutate(
        id,
        null,
        b -> {
          Build after =
              b.withProgress(b.status(), b.steps(), 1, b.lastEventId(), null, null)
                  .withErrors(1, 1, "::error::boom", b.annotations().plus("error"));
          return new Mutation(after, List.of(), "{}", List.of(), List.of(boom));
        });
    store.mutate(
        id,
        null,
        b -> {
          Build after = b.withErrors(0, 9, "ignored", b.annotations().plus("warning"));
          return new Mutation(after, List.of(), "{}", List.of(), List.of(care));
        });

    Build stored = store.findBuild(id).orElseThrow();
    assertThat(stored.errorCount()).isEqualTo(1);
    assertThat(stored.firstErrorLine()).isEqualTo(1L);
    assertThat(stored.firstError()).isEqualTo("::error::boom");
    assertThat(stored.annotations()).isEqualTo(new AnnotationCounts(1, 1, 0));
    assertThat(store.annotations(id)).containsExactly(boom, care);

    store.mutate(
        id,
        null,
        b ->
            new Mutation(
                b.withProgress(
                    "failed",
                    b.steps(),
                    b.lineCount(),
                    b.lastEventId(),
                    null,
                    "2020-01-01T00:00:00Z"),
                List.of(),
                "{}"));
    assertThat(store.deleteFinished(List.of(id))).isEqualTo(1);
    assertThat(rows("annotations", id)).isZero();
  }

  @Test
  void aRewriteOfAnnotationsChangesTheRowsAndTheirEvents() {
    long id = create(BODY, null, null).build().id();
    Annotation secret = new Annotation("error", "key abc", null, null, null, null, null, "abc", 1);
    Annotation plain = new Annotation("notice", "fine", null, null, null, null, null, null, 1);
    store.mutate(
        id,
        null,
        b -> {
          long e = b.lastEventId();
          List<StoredEvent> events =
              List.of(
                  new StoredEvent(id, e + 1, "annotation", new Json().write(secret), 0, 0),
                  new StoredEvent(id, e + 2, "annotation", new Json().write(plain), 0, 0));
          Build after =
              b.withProgress(b.status(), b.steps(), 1, e + 2, null, null)
                  .withErrors(0, 0, null, new AnnotationCounts(1, 0, 1));
          return new Mutation(after, events, "{}", List.of(), List.of(secret, plain));
        });

    int changed = store.rewriteAnnotations(id, a -> a.withTexts(t -> t.replace("abc", "***")));

    assertThat(changed).isEqualTo(1);
    assertThat(store.annotations(id))
        .extracting(Annotation::message, Annotation::title)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("key ***", "***"),
            org.assertj.core.groups.Tuple.tuple("fine", null));
    assertThat(store.readEvents(id, 0, Long.MAX_VALUE, 10, Long.MAX_VALUE))
        .filteredOn(e -> e.type().equals("annotation"))
        .extracting(StoredEvent::data)
        .noneMatch(d -> d.contains("abc"))
        .hasSize(2);
  }

  @Test
  void aBuildWithoutErrorsHasNoneAndZeroAnnotations() {
    Build b = store.findBuild(create(BODY, null, null).build().id()).orElseThrow();

    assertThat(b.errorCount()).isZero();
    assertThat(b.firstErrorLine()).isNull();
    assertThat(b.firstError()).isNull();
    assertThat(b.annotations()).isEqualTo(AnnotationCounts.NONE);
  }

  @Test
  void theListFiltersByRefAndPagesBackToTheOldestBuild() {
    for (int i = 0; i < 250; i++) {
      create(new NewBuild("p/q", "b" + i, i % 2 == 0 ? "main" : "dev", null, null), null, null);
    }
    List<Long> seen = new java.util.ArrayList<>();
    Long before = null;
    while (true) {
      List<Build> page = store.listBuilds(new BuildFilter("p/q", null, 100, before));
      if (page.isEmpty()) {
        break;
      }
      page.forEach(b -> seen.add(b.id()));
      before = page.get(page.size() - 1).id();
    }
    assertThat(seen).hasSize(250).doesNotHaveDuplicates();
    assertThat(seen.get(249)).isEqualTo(seen.stream().mapToLong(Long::longValue).min().getAsLong());

    List<Build> main = store.listBuilds(new BuildFilter("p/q", null, 500, null, "main"));
    assertThat(main).hasSize(125).allMatch(b -> "main".equals(b.ref()));
  }
}
