package dev.tailboard.hub;

import dev.tailboard.store.Build;
import dev.tailboard.store.BuildFilter;
import dev.tailboard.store.ChunkSeq;
import dev.tailboard.store.Created;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.Mutation;
import dev.tailboard.store.NewBuild;
import dev.tailboard.store.Outcome;
import dev.tailboard.store.Rewritten;
import dev.tailboard.store.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** An in-memory store for the hub's tests; {@link #onRead} runs before every replay page read. */
final class FakeStore implements EventStore {

  @Override
  public String epoch() {
    return "test";
  }

  private final Map<Long, Build> builds = new HashMap<>();
  private final List<StoredEvent> events = new ArrayList<>();
  volatile Runnable onRead = () -> {};

  synchronized void put(Build build, List<StoredEvent> stored) {
    builds.put(build.id(), build);
    events.addAll(stored);
  }

  @Override
  public Created createBuild(
      NewBuild build, String key, String fingerprint, Function<Build, String> eventData) {
    throw new UnsupportedOperationException();
  }

  @Override
  public synchronized Optional<Build> findBuild(long id) {
    return Optional.ofNullable(builds.get(id));
  }

  @Override
  public List<Build> listBuilds(BuildFilter filter) {
    throw new UnsupportedOperationException();
  }

  @Override
  public synchronized Outcome mutate(
      long buildId, ChunkSeq chunk, Function<Build, Mutation> change) {
    Mutation m = change.apply(builds.get(buildId));
    events.addAll(m.events());
    builds.put(buildId, m.build());
    return new Outcome(m, m.reply());
  }

  @Override
  public List<StoredEvent> readEvents(
      long buildId, long afterId, long upToId, int limit, long maxBytes) {
    onRead.run();
    synchronized (this) {
      List<StoredEvent> page = new ArrayList<>();
      long bytes = 0;
      for (StoredEvent e : events) {
        if (e.buildId() == buildId && e.id() > afterId && e.id() <= upToId) {
          if (page.size() >= limit || bytes >= maxBytes) {
            break;
          }
          page.add(e);
          bytes += e.weight();
        }
      }
      return page;
    }
  }

  @Override
  public List<StoredEvent> readLogEvents(
      long buildId, long fromLine, long toLine, int limit, long maxBytes) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<Long> finishedBefore(long cutoffMillis, int limit) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int deleteFinished(List<Long> buildIds) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<String> sealedMasks(long buildId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Rewritten rewriteLogEvents(long buildId, UnaryOperator<String> change, int pageRows) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Optional<Build> lastPassed(String project, String ref, long beforeId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<dev.tailboard.store.Annotation> annotations(long buildId) {
    return List.of();
  }

  @Override
  public int rewriteAnnotations(
      long buildId, UnaryOperator<dev.tailboard.store.Annotation> change) {
    return 0;
  }
}
