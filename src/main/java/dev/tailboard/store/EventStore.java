package dev.tailboard.store;

import dev.tailboard.builds.Build;
import dev.tailboard.builds.BuildFilter;
import dev.tailboard.builds.NewBuild;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The durable record of builds and their events. Every method returns only after what it wrote is
 * committed; callers acknowledge publishers only after that.
 */
public interface EventStore {

  /**
   * Creates a build and stores its event 1 ({@code build}, the summary). With an idempotency key
   * already used for the same project, creates nothing and returns the build made the first time.
   *
   * @param eventData turns the new build into the JSON of its event 1
   */
  /**
   * This database's epoch: a short id ({@code [0-9a-z]+}) made once, when the first node starts on
   * it, and the same for every node and every start after. A stream position from another epoch
   * belongs to another history (a restored or replaced database).
   */
  String epoch();

  Build createBuild(NewBuild build, String idempotencyKey, Function<Build, String> eventData);

  Optional<Build> findBuild(long id);

  /** Builds newest first (highest id first). */
  List<Build> listBuilds(BuildFilter filter);

  /**
   * Appends to a build in one transaction. The build row is locked for the transaction, so
   * mutations of one build are serialized even across nodes sharing the database; {@code change}
   * sees the committed state and returns the new summary and the events to append, numbered
   * consecutively from {@code lastEventId + 1}. If {@code seq} is not null and was stored before
   * for this build, nothing is written and the earlier reply is returned. An exception from {@code
   * change} rolls everything back and propagates.
   *
   * @throws java.util.NoSuchElementException if the build does not exist
   */
  Outcome mutate(long buildId, Long seq, Function<Build, Mutation> change);

  /**
   * Events with {@code afterId < id <= upToId}, in id order, at most {@code limit} of them and
   * stopping after the one that reaches {@code maxBytes} (by {@link StoredEvent#weight}), so a page
   * is bounded in bytes too yet never empty while events remain. Only committed events are seen: an
   * event is readable before it is fanned out, which is what lets subscribers join live first and
   * replay after.
   */
  List<StoredEvent> readEvents(long buildId, long afterId, long upToId, int limit, long maxBytes);

  /**
   * Log events that hold any line in {@code [fromLine, toLine]}, in line order, at most {@code
   * limit}; callers page by asking again from the last line they got plus one.
   */
  List<StoredEvent> readLogEvents(long buildId, long fromLine, long toLine, int limit);
}
