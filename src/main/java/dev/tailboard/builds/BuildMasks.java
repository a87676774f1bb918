package dev.tailboard.builds;

import dev.tailboard.auth.Sealer;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.masks.AddMask;
import dev.tailboard.masks.MaskValues;
import dev.tailboard.masks.Masker;
import dev.tailboard.store.Build;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.LogChunk;
import dev.tailboard.store.Rewritten;
import dev.tailboard.support.Json;
import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one owner of every build's registered secret values and of their compiled {@link Masker}s.
 * Values live sealed in the store; this node keeps a masker per recently used build, checked
 * against the build row's {@code maskCount} each time it is used under that row's lock, so a value
 * another node registered is never missed. Server-wide values ({@code masks.file}) are read once at
 * start and join every build's masker.
 */
@ApplicationScoped
public class BuildMasks {

  /** Log events rewritten per transaction when a value is registered late. */
  static final int REWRITE_PAGE_ROWS = 100;

  private final EventStore store;
  private final Sealer sealer;
  private final Json json;
  private final Masker serverWide;
  private final int maxPerBuild;
  private final int maxValueChars;
  private final Map<Long, Compiled> cache;

  private record Compiled(int count, Masker masker) {}

  /** A log append's lines after {@code ::add-mask::} lines were read: what it registers. */
  record Intake(List<String> lines, List<String> added, Masker masker) {}

  @Inject
  public BuildMasks(EventStore store, Sealer sealer, Json json, Config config) {
    this.store = store;
    this.sealer = sealer;
    this.json = json;
    this.maxPerBuild = config.integer(Setting.MASKS_MAX_PER_BUILD);
    this.maxValueChars = config.integer(Setting.MASKS_MAX_VALUE_CHARS);
    this.serverWide = Masker.of(readFile(config.string(Setting.MASKS_FILE)));
    int cached = config.integer(Setting.MASKS_CACHED_BUILDS);
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Compiled> eldest) {
            return size() > cached;
          }
        };
  }

  /** For CDI's client proxy only. */
  protected BuildMasks() {
    this.store = null;
    this.sealer = null;
    this.json = null;
    this.serverWide = null;
    this.maxPerBuild = 0;
    this.maxValueChars = 0;
    this.cache = null;
  }

  /**
   * The masker for {@code build} as read under its row lock: compiled again when the row counts
   * more values than the one this node has (registered here or on another node).
   */
  public Masker forBuild(Build build) {
    if (build.maskCount() == 0) {
      return serverWide;
    }
    synchronized (cache) {
      Compiled known = cache.get(build.id());
      if (known != null && known.count() == build.maskCount()) {
        return known.masker();
      }
    }
    List<String> values = new ArrayList<>();
    for (String sealed : store.sealedMasks(build.id())) {
      values.add(sealer.open(sealed));
    }
    Masker masker = serverWide.plus(values);
    remember(build.id(), values.size(), masker);
    return masker;
  }

  /**
   * Compiles the build's masker before its row is locked, if this node has none: reading the values
   * under the lock takes a second connection from the pool while the append holds one, which many
   * appends at once could exhaust. Under the lock the count is still checked.
   */
  void warm(long buildId) {
    synchronized (cache) {
      if (cache.containsKey(buildId)) {
        return;
      }
    }
    store
        .findBuild(buildId)
        .ifPresent(
            b -> remember(buildId, b.maskCount(), b.maskCount() == 0 ? serverWide : forBuild(b)));
  }

  /**
   * The build's masker as this node last compiled it, without asking the store: for decisions made
   * outside the build row's lock that the masking under it does not depend on.
   */
  public Masker current(long buildId) {
    synchronized (cache) {
      Compiled known = cache.get(buildId);
      return known == null ? serverWide : known.masker();
    }
  }

  /** Keeps a masker this node compiled once the values it counts are committed. */
  void remember(long buildId, int count, Masker masker) {
    synchronized (cache) {
      cache.put(buildId, new Compiled(count, masker));
    }
  }

  /**
   * Checks values to register for {@code build}: each at least {@link MaskValues#MIN_CHARS}
   * characters and at most {@code masks.maxValueChars} (400 otherwise); the ones {@code masker}
   * already has are dropped; past {@code masks.maxPerBuild} nothing is registered (413).
   */
  List<String> fresh(Build build, Masker masker, List<String> values) {
    Set<String> fresh = new LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      String reason = check(values.get(i));
      if (reason != null) {
        throw ProblemException.badRequest("values[" + i + "]: " + reason);
      }
      if (!masker.values().contains(values.get(i))) {
        fresh.add(values.get(i));
      }
    }
    if (build.maskCount() + fresh.size() > maxPerBuild) {
      throw ProblemException.tooLarge(
          "Build "
              + build.id()
              + " may register at most "
              + maxPerBuild
              + " secret values (masks.maxPerBuild); it has "
              + build.maskCount());
    }
    return List.copyOf(fresh);
  }

  private String check(String value) {
    String reason = MaskValues.check(value);
    if (reason == null && value.length() > maxValueChars) {
      return "longer than " + maxValueChars + " characters (masks.maxValueChars)";
    }
    return reason;
  }

  /**
   * Reads the {@code ::add-mask::} lines of an append: each is kept as {@code ::add-mask::***} and
   * its value registered, and then every line of the append, those before it too, is masked. A
   * value that cannot be registered (too short) is still hidden on its own line.
   */
  Intake intake(Build build, List<String> raw) {
    Masker masker = forBuild(build);
    List<String> lines = raw;
    List<String> values = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String value = raw.get(i) == null ? null : AddMask.value(raw.get(i));
      if (value == null) {
        continue;
      }
      if (lines == raw) {
        lines = new ArrayList<>(raw);
      }
      lines.set(i, AddMask.stored(raw.get(i)));
      if (check(value) == null) {
        values.add(value);
      }
    }
    List<String> added = values.isEmpty() ? List.of() : fresh(build, masker, values);
    if (!added.isEmpty()) {
      masker = masker.plus(added);
    }
    return new Intake(masker.isEmpty() ? lines : masker.maskLines(lines), added, masker);
  }

  List<String> seal(List<String> values) {
    return values.stream().map(sealer::seal).toList();
  }

  /**
   * Masks what is stored of a build's log with {@code masker}, which holds every value committed
   * for it: the appends committed before the registration are all in the store by then (they held
   * the build row), and later ones were masked with the new values as they came.
   */
  Rewritten rewrite(long buildId, Masker masker) {
    Rewritten log =
        store.rewriteLogEvents(buildId, data -> maskLogEvent(data, masker), REWRITE_PAGE_ROWS);
    store.rewriteAnnotations(buildId, a -> a.withTexts(masker::mask));
    return log;
  }

  /**
   * One stored {@code log} event masked. The JSON text itself is scanned first: a line holding a
   * registered value holds it, or its JSON escape (one of the forms masked), in the JSON text too,
   * so an event with no match is left unparsed.
   */
  String maskLogEvent(String data, Masker masker) {
    if (masker.mask(data) == data) {
      return data;
    }
    LogChunk chunk = json.read(data, LogChunk.class);
    List<String> masked = masker.maskLines(chunk.lines());
    if (masked == chunk.lines()) {
      return data;
    }
    return json.write(chunk.withLines(masked));
  }

  /** Server-wide values, one a line; a bad value fails the start rather than leak unmasked. */
  private List<String> readFile(String file) {
    if (file.isEmpty()) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String value = LogLines.stripCarriageReturn(lines.get(i));
        if (value.isEmpty()) {
          continue;
        }
        String reason = check(value);
        if (reason != null) {
          throw new IllegalStateException(
              "masks.file " + file + " line " + (i + 1) + ": the value is " + reason);
        }
        values.add(value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("masks.file " + file + " cannot be read", e);
    }
    return values;
  }
}
