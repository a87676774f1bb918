package dev.tailboard.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The durable record of builds and their events. Every method returns only after what it wrote is
 * committed; callers acknowledge publishers only after that.
 */
public interface EventStore {

  /**
   * This database's epoch: a short id ({@code [0-9a-z]+}) made once, when the first node starts on
   * it, and the same for every node and every start after. A stream position from another epoch
   * belongs to another history (a restored or replaced database).
   */
  String epoch();

  /**
   * Creates a build and stores its event 1 ({@code build}, the summary) in one transaction, and
   * returns it with {@link Created#isNew()} true. With an {@code idempotencyKey} already used for
   * the same project, creates nothing and returns the build made the first time, as it is now, with
   * {@code isNew} false. For one key exactly one call, among any number of concurrent ones on any
   * node, sees {@code isNew} true (callers announce the build on that one only), and every call
   * returns a committed build: a repeat that raced the first one's insert answers once that is
   * committed.
   *
   * @param fingerprint the request body's fingerprint, stored with the key; a repeat whose
   *     fingerprint differs from the stored one creates nothing and throws (a key stored without
   *     one, or a null {@code fingerprint}, is not compared)
   * @param eventData turns the new build into the JSON of its event 1
   * @throws BodyMismatchException if the key was first used with another body
   */
  Created createBuild(
      NewBuild build, String idempotencyKey, String fingerprint, Function<Build, String> eventData);

  Optional<Build> findBuild(long id);

  /** Builds newest first (highest id first). */
  List<Build> listBuilds(BuildFilter filter);

  /**
   * Appends to a build in one transaction. The build row is locked for the transaction, so
   * mutations of one build are serialized even across nodes sharing the database; {@code change}
   * sees the committed state and returns the new summary and the events to append, numbered
   * consecutively from {@code lastEventId + 1}. If {@code chunk} is not null and its {@code seq}
   * was stored before for this build, {@code change} is not called, nothing is written and the
   * earlier reply is returned ({@link Outcome#repeated()}); otherwise the seq is stored with the
   * reply and the fingerprint in the same transaction. An exception from {@code change} rolls
   * everything back and propagates.
   *
   * @throws java.util.NoSuchElementException if the build does not exist
   * @throws BodyMismatchException if the seq was stored with another fingerprint (one stored
   *     without a fingerprint, or a null one given, is not compared); nothing is written
   */
  Outcome mutate(long buildId, ChunkSeq chunk, Function<Build, Mutation> change);

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
   * limit} and stopping after the one that reaches {@code maxBytes} (by {@link StoredEvent#weight};
   * at least one while any remain); callers page by asking again from the last line they got plus
   * one.
   */
  List<StoredEvent> readLogEvents(
      long buildId, long fromLine, long toLine, int limit, long maxBytes);

  /**
   * Ids of finished builds (passed, failed, canceled, errored) that finished before {@code
   * cutoffMillis} (epoch milliseconds), lowest id first, at most {@code limit}: what retention
   * deletes next. Queued and running builds are never among them. Sees only committed builds.
   */
  List<Long> finishedBefore(long cutoffMillis, int limit);

  /**
   * Deletes those of {@code buildIds} that are finished, each with all its events and stored chunk
   * replies, in one transaction (all of them or none). Ids of builds that are not finished, or no
   * longer exist, are skipped: a queued or running build is never deleted (and a finished one never
   * runs again), and repeating a call, on any node, is harmless. Once it returns, a deleted build
   * is gone for every reader ({@link #findBuild} is empty, {@link #mutate} throws {@link
   * java.util.NoSuchElementException}); a {@link #mutate} waiting on the build's lock meanwhile
   * sees it gone too. Returns how many builds were deleted.
   */
  int deleteFinished(List<Long> buildIds);

  /**
   * The sealed secret values registered for a build, in the order they were registered ({@link
   * Mutation#sealedMasks}); as many as the committed build row's {@code maskCount}.
   */
  List<String> sealedMasks(long buildId);

  /**
   * Rewrites the data of a build's stored log events through {@code change}, oldest first, {@code
   * pageRows} events per transaction, each page locked while it is rewritten. An event {@code
   * change} returns unchanged is not written. Events appended after the call started may or may not
   * be seen: the caller makes sure those are already written the new way.
   */
  Rewritten rewriteLogEvents(long buildId, UnaryOperator<String> change, int pageRows);

  /**
   * The newest passed build of {@code project} on {@code ref} older than {@code beforeId}: among
   * the committed builds with status {@code passed}, that project, that ref (a null {@code ref}
   * matches only builds without one) and {@code id < beforeId}, the one with the highest id. Ids
   * grow with creation, so this is the last one created before, not the last one to finish.
   */
  Optional<Build> lastPassed(String project, String ref, long beforeId);

  /**
   * A build's annotations ({@link Mutation#annotations}), in log order; as many as the committed
   * build row counts in {@link Build#annotations}.
   */
  List<Annotation> annotations(long buildId);

  /**
   * Rewrites a build's stored annotations through {@code change}, in one transaction: the rows
   * {@link #annotations} reads and the data of its {@code annotation} events. Returns how many
   * annotations changed (an annotation {@code change} returns equal is not written).
   */
  int rewriteAnnotations(long buildId, UnaryOperator<Annotation> change);
}
