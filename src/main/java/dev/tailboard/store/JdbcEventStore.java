package dev.tailboard.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tailboard.support.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** {@link EventStore} on JDBC, in SQL that H2 and PostgreSQL both speak. */
@ApplicationScoped
public class JdbcEventStore implements EventStore {

  private static final String BUILD_COLUMNS =
      "id, project, title, ref, commit_sha, url, status, steps, line_count, last_event_id,"
          + " created_at, started_at, finished_at, log_bytes, mask_count, error_count,"
          + " first_error_line, first_error, annotation_errors, annotation_warnings,"
          + " annotation_notices";
  private static final TypeReference<List<Step>> STEPS = new TypeReference<>() {};
  private static final int EPOCH_LENGTH = 6;

  @Inject Jdbc jdbc;
  @Inject Json json;

  private volatile String epoch;

  @Override
  public String epoch() {
    String known = epoch;
    if (known == null) {
      known = readEpoch().orElseGet(this::createEpoch);
      epoch = known;
    }
    return known;
  }

  private Optional<String> readEpoch() {
    return jdbc
        .query("SELECT epoch FROM tailboard_epoch WHERE id = 1", rs -> rs.getString(1))
        .stream()
        .findFirst();
  }

  /** The first node to start on a database names its epoch; a node that lost the race reads it. */
  private String createEpoch() {
    try {
      jdbc.inTransaction(
          c ->
              Jdbc.update(
                  c,
                  "INSERT INTO tailboard_epoch (id, epoch) VALUES (1, ?)",
                  NodeIds.next(EPOCH_LENGTH)));
    } catch (StoreException e) {
      if (!e.isConstraintViolation()) {
        throw e;
      }
    }
    return readEpoch().orElseThrow();
  }

  @Override
  public Created createBuild(
      NewBuild b, String key, String fingerprint, Function<Build, String> eventData) {
    try {
      return jdbc.inTransaction(
          c -> {
            Optional<Created> existing = existing(c, b, key, fingerprint);
            return existing.isPresent()
                ? existing.get()
                : new Created(insertBuild(c, b, key, fingerprint, eventData), true);
          });
    } catch (StoreException e) {
      if (key != null && e.isConstraintViolation()) {
        // a concurrent request with the same key won the insert: answer as to a repeat of it
        return jdbc.inTransaction(c -> existing(c, b, key, fingerprint)).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  /** The build an earlier request made with {@code key}, if any; its body must be the same. */
  private Optional<Created> existing(Connection c, NewBuild b, String key, String fingerprint)
      throws SQLException {
    if (key == null) {
      return Optional.empty();
    }
    List<String> stored =
        Jdbc.query(
            c,
            "SELECT body_sha256 FROM builds WHERE project = ? AND idempotency_key = ?",
            rs -> rs.getString(1),
            b.project(),
            key);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    requireSameBody(stored.get(0), fingerprint, "Idempotency-Key \"" + key + "\"");
    return queryBuild(c, "project = ? AND idempotency_key = ?", b.project(), key)
        .map(build -> new Created(build, false));
  }

  /** Fingerprints are compared only when both are known (rows from before V6 have none). */
  private static void requireSameBody(String stored, String given, String used) {
    if (stored != null && given != null && !stored.equals(given)) {
      throw new BodyMismatchException(used);
    }
  }

  private Build insertBuild(
      Connection c, NewBuild b, String key, String fingerprint, Function<Build, String> eventData)
      throws SQLException {
    long now = System.currentTimeMillis();
    long id;
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO builds (project, title, ref, commit_sha, url, status, steps,"
                + " line_count, last_event_id, created_at, idempotency_key, body_sha256)"
                + " VALUES (?, ?, ?, ?, ?, ?, '[]', 0, 1, ?, ?, ?)",
            new String[] {"id"})) {
      insert.setString(1, b.project());
      insert.setString(2, b.title());
      insert.setString(3, b.ref());
      insert.setString(4, b.commit());
      insert.setString(5, b.url());
      insert.setString(6, BuildStatus.QUEUED);
      insert.setLong(7, now);
      insert.setString(8, key);
      insert.setString(9, key == null ? null : fingerprint);
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong("id");
      }
    }
    Build created =
        new Build(
            id,
            b.project(),
            b.title(),
            b.ref(),
            b.commit(),
            b.url(),
            BuildStatus.QUEUED,
            List.of(),
            0,
            1,
            Instant.ofEpochMilli(now).toString(),
            null,
            null,
            0,
            0);
    insertEvents(c, List.of(new StoredEvent(id, 1, "build", eventData.apply(created), 0, 0)));
    return created;
  }

  @Override
  public Optional<Build> findBuild(long id) {
    return jdbc.inTransaction(c -> queryBuild(c, "id = ?", id));
  }

  @Override
  public List<Build> listBuilds(BuildFilter f) {
    StringBuilder where = new StringBuilder("1 = 1");
    List<Object> args = new ArrayList<>();
    if (f.project() != null) {
      where.append(" AND project = ?");
      args.add(f.project());
    }
    if (f.status() != null) {
      where.append(" AND status = ?");
      args.add(f.status());
    }
    if (f.ref() != null) {
      where.append(" AND ref = ?");
      args.add(f.ref());
    }
    if (f.before() != null) {
      where.append(" AND id < ?");
      args.add(f.before());
    }
    String sql =
        "SELECT " + BUILD_COLUMNS + " FROM builds WHERE " + where + " ORDER BY id DESC LIMIT ?";
    args.add(f.limit());
    return jdbc.inTransaction(
        c -> {
          try (PreparedStatement q = c.prepareStatement(sql)) {
            Jdbc.bind(q, args.toArray());
            return readBuilds(q);
          }
        });
  }

  @Override
  public Outcome mutate(long buildId, ChunkSeq chunk, Function<Build, Mutation> change) {
    return jdbc.inTransaction(
        c -> {
          Build current =
              queryBuild(c, "id = ? FOR UPDATE", buildId)
                  .orElseThrow(() -> new NoSuchElementException("build " + buildId));
          if (chunk != null) {
            Optional<String> earlier = chunkReply(c, buildId, chunk);
            if (earlier.isPresent()) {
              return new Outcome(null, earlier.get());
            }
          }
          Mutation m = change.apply(current);
          insertEvents(c, m.events());
          insertMasks(c, current, m.sealedMasks());
          insertAnnotations(c, current, m.annotations());
          updateBuild(c, m.build());
          if (chunk != null) {
            Jdbc.update(
                c,
                "INSERT INTO log_chunks (build_id, seq, reply, body_sha256) VALUES (?, ?, ?, ?)",
                buildId,
                chunk.seq(),
                m.reply(),
                chunk.fingerprint());
          }
          return new Outcome(m, m.reply());
        });
  }

  @Override
  public List<StoredEvent> readEvents(
      long buildId, long afterId, long upToId, int limit, long maxBytes) {
    return queryEvents(
        maxBytes,
        "build_id = ? AND id > ? AND id <= ? ORDER BY id LIMIT ?",
        buildId,
        afterId,
        upToId,
        limit);
  }

  @Override
  public List<StoredEvent> readLogEvents(
      long buildId, long fromLine, long toLine, int limit, long maxBytes) {
    return queryEvents(
        maxBytes,
        "build_id = ? AND last_line >= ? AND first_line <= ? AND first_line > 0"
            + " ORDER BY last_line LIMIT ?",
        buildId,
        fromLine,
        toLine,
        limit);
  }

  /** Stops after the row that takes the page past {@code maxBytes}; at least one row. */
  private List<StoredEvent> queryEvents(long maxBytes, String where, Object... args) {
    return jdbc.inTransaction(
        c -> {
          try (PreparedStatement q =
              c.prepareStatement(
                  "SELECT build_id, id, type, data, first_line, last_line FROM events WHERE "
                      + where)) {
            Jdbc.bind(q, args);
            // rows come as they are read, so the byte bound holds for the rows not read too
            q.setFetchSize(64);
            List<StoredEvent> events = new ArrayList<>();
            long bytes = 0;
            try (ResultSet rs = q.executeQuery()) {
              while (bytes < maxBytes && rs.next()) {
                StoredEvent e =
                    new StoredEvent(
                        rs.getLong(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getLong(6));
                events.add(e);
                bytes += e.weight();
              }
            }
            return events;
          }
        });
  }

  private void insertEvents(Connection c, List<StoredEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement q =
        c.prepareStatement(
            "INSERT INTO events (build_id, id, type, data, first_line, last_line)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      for (StoredEvent e : events) {
        Jdbc.bind(q, e.buildId(), e.id(), e.type(), e.data(), e.firstLine(), e.lastLine());
        q.addBatch();
      }
      q.executeBatch();
    }
  }

  /** Numbered on from the values the locked row counts, so every node reads them in one order. */
  private static void insertMasks(Connection c, Build current, List<String> sealed)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    int n = current.maskCount();
    for (String value : sealed) {
      rows.add(new Object[] {current.id(), n++, value});
    }
    batch(c, "INSERT INTO build_masks (build_id, n, sealed) VALUES (?, ?, ?)", rows);
  }

  @Override
  public List<String> sealedMasks(long buildId) {
    return jdbc.inTransaction(
        c ->
            Jdbc.query(
                c,
                "SELECT sealed FROM build_masks WHERE build_id = ? ORDER BY n",
                rs -> rs.getString(1),
                buildId));
  }

  @Override
  public Rewritten rewriteLogEvents(long buildId, UnaryOperator<String> change, int pageRows) {
    Rewritten total = Rewritten.NONE;
    long after = 0;
    while (true) {
      long from = after;
      Rewritten[] page = new Rewritten[1];
      Long last =
          jdbc.inTransaction(
              c -> {
                page[0] = rewritePage(c, buildId, from, change, pageRows);
                return page[0].lastId();
              });
      total = total.plus(page[0]);
      if (last == null) {
        return total;
      }
      after = last;
    }
  }

  /**
   * One page of log events, locked while it is rewritten: two registrations rewriting at once take
   * turns on each row, so the later one never writes back a row the earlier masked less.
   */
  private static Rewritten rewritePage(
      Connection c, long buildId, long afterId, UnaryOperator<String> change, int pageRows)
      throws SQLException {
    List<Object[]> changed = new ArrayList<>();
    Long lastId = null;
    long first = 0;
    long lastLine = 0;
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT id, data, first_line, last_line FROM events WHERE build_id = ? AND id > ?"
                + " AND first_line > 0 ORDER BY id LIMIT ? FOR UPDATE")) {
      Jdbc.bind(q, buildId, afterId, pageRows);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          lastId = rs.getLong(1);
          String data = rs.getString(2);
          String masked = change.apply(data);
          if (!masked.equals(data)) {
            changed.add(new Object[] {masked, buildId, lastId});
            first = first == 0 ? rs.getLong(3) : Math.min(first, rs.getLong(3));
            lastLine = Math.max(lastLine, rs.getLong(4));
          }
        }
      }
    }
    if (!changed.isEmpty()) {
      try (PreparedStatement u =
          c.prepareStatement("UPDATE events SET data = ? WHERE build_id = ? AND id = ?")) {
        for (Object[] row : changed) {
          Jdbc.bind(u, row);
          u.addBatch();
        }
        u.executeBatch();
      }
    }
    return new Rewritten(changed.size(), first, lastLine, lastId);
  }

  private void updateBuild(Connection c, Build b) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement(
            "UPDATE builds SET status = ?, steps = ?, line_count = ?, last_event_id = ?,"
                + " started_at = ?, finished_at = ?, log_bytes = ?, mask_count = ?,"
                + " error_count = ?, first_error_line = ?, first_error = ?,"
                + " annotation_errors = ?, annotation_warnings = ?, annotation_notices = ?"
                + " WHERE id = ?")) {
      Jdbc.bind(
          q,
          b.status(),
          json.write(b.steps()),
          b.lineCount(),
          b.lastEventId(),
          millis(b.startedAt()),
          millis(b.finishedAt()),
          b.logBytes(),
          b.maskCount(),
          b.errorCount(),
          b.firstErrorLine(),
          b.firstError(),
          b.annotations().error(),
          b.annotations().warning(),
          b.annotations().notice(),
          b.id());
      q.executeUpdate();
    }
  }

  /** The reply stored for the chunk's seq, if any; its body must be the same. */
  private Optional<String> chunkReply(Connection c, long buildId, ChunkSeq chunk)
      throws SQLException {
    List<String[]> stored =
        Jdbc.query(
            c,
            "SELECT reply, body_sha256 FROM log_chunks WHERE build_id = ? AND seq = ?",
            rs -> new String[] {rs.getString(1), rs.getString(2)},
            buildId,
            chunk.seq());
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    requireSameBody(
        stored.get(0)[1], chunk.fingerprint(), "seq " + chunk.seq() + " of build " + buildId);
    return Optional.of(stored.get(0)[0]);
  }

  private Optional<Build> queryBuild(Connection c, String where, Object... args)
      throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT " + BUILD_COLUMNS + " FROM builds WHERE " + where)) {
      Jdbc.bind(q, args);
      return readBuilds(q).stream().findFirst();
    }
  }

  private List<Build> readBuilds(PreparedStatement q) throws SQLException {
    List<Build> builds = new ArrayList<>();
    try (ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        builds.add(
            new Build(
                rs.getLong("id"),
                rs.getString("project"),
                rs.getString("title"),
                rs.getString("ref"),
                rs.getString("commit_sha"),
                rs.getString("url"),
                rs.getString("status"),
                steps(rs.getString("steps")),
                rs.getLong("line_count"),
                rs.getLong("last_event_id"),
                instant(rs, "created_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                rs.getLong("log_bytes"),
                rs.getInt("mask_count"),
                rs.getLong("error_count"),
                nullableLong(rs, "first_error_line"),
                rs.getString("first_error"),
                new AnnotationCounts(
                    rs.getInt("annotation_errors"),
                    rs.getInt("annotation_warnings"),
                    rs.getInt("annotation_notices"))));
      }
    }
    return builds;
  }

  private List<Step> steps(String stored) {
    try {
      return json.mapper().readValue(stored, STEPS);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String instant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis).toString();
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Long millis(String instant) {
    return instant == null ? null : Instant.parse(instant).toEpochMilli();
  }

  @Override
  public List<Long> finishedBefore(long cutoffMillis, int limit) {
    Object[] args = terminalStatusesThen(cutoffMillis, limit);
    return jdbc.query(
        "SELECT id FROM builds WHERE status IN "
            + Jdbc.inList(BuildStatus.TERMINAL.size())
            + " AND finished_at < ? ORDER BY id LIMIT ?",
        rs -> rs.getLong(1),
        args);
  }

  @Override
  public int deleteFinished(List<Long> buildIds) {
    if (buildIds.isEmpty()) {
      return 0;
    }
    return jdbc.inTransaction(
        c -> {
          // the build rows first, locked: a concurrent mutate waits, then finds no build
          Object[] args = terminalStatusesThen(buildIds.toArray());
          List<Long> finished =
              Jdbc.query(
                  c,
                  "SELECT id FROM builds WHERE status IN "
                      + Jdbc.inList(BuildStatus.TERMINAL.size())
                      + " AND id IN "
                      + Jdbc.inList(buildIds.size())
                      + " ORDER BY id FOR UPDATE",
                  rs -> rs.getLong(1),
                  args);
          if (finished.isEmpty()) {
            return 0;
          }
          Object[] ids = finished.toArray();
          String in = Jdbc.inList(ids.length);
          Jdbc.update(c, "DELETE FROM events WHERE build_id IN " + in, ids);
          Jdbc.update(c, "DELETE FROM log_chunks WHERE build_id IN " + in, ids);
          Jdbc.update(c, "DELETE FROM build_masks WHERE build_id IN " + in, ids);
          Jdbc.update(c, "DELETE FROM annotations WHERE build_id IN " + in, ids);
          return Jdbc.update(c, "DELETE FROM builds WHERE id IN " + in, ids);
        });
  }

  /** The terminal statuses, then {@code more}: the arguments of a {@code status IN} query. */
  private static Object[] terminalStatusesThen(Object... more) {
    List<Object> args = new ArrayList<>(BuildStatus.TERMINAL);
    args.addAll(List.of(more));
    return args.toArray();
  }

  @Override
  public Optional<Build> lastPassed(String project, String ref, long beforeId) {
    // builds_last_passed (project, ref, status, id) answers both forms from the index's end
    String sameRef = ref == null ? "ref IS NULL" : "ref = ?";
    Object[] args =
        ref == null
            ? new Object[] {project, "passed", beforeId}
            : new Object[] {project, ref, "passed", beforeId};
    return jdbc.inTransaction(
        c ->
            queryBuild(
                c,
                "project = ? AND "
                    + sameRef
                    + " AND status = ? AND id < ? ORDER BY id DESC LIMIT 1",
                args));
  }

  /** Numbered on from the annotations the locked row counts, as masks are. */
  private void insertAnnotations(Connection c, Build current, List<Annotation> annotations)
      throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    int n = current.annotations().total();
    for (Annotation a : annotations) {
      rows.add(new Object[] {current.id(), n++, a.level(), a.logLine(), json.write(a)});
    }
    batch(
        c,
        "INSERT INTO annotations (build_id, n, level, log_line, data) VALUES (?, ?, ?, ?, ?)",
        rows);
  }

  /** Runs {@code sql} once for each of {@code rows} (its arguments), in one batch. */
  private static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement q = c.prepareStatement(sql)) {
      for (Object[] row : rows) {
        Jdbc.bind(q, row);
        q.addBatch();
      }
      q.executeBatch();
    }
  }

  @Override
  public List<Annotation> annotations(long buildId) {
    String sql = "SELECT data FROM annotations WHERE build_id = ? ORDER BY n";
    return jdbc.query(sql, rs -> json.read(rs.getString(1), Annotation.class), buildId);
  }

  @Override
  public int rewriteAnnotations(long buildId, UnaryOperator<Annotation> change) {
    return jdbc.inTransaction(
        c -> {
          int rows =
              rewriteJson(
                  c,
                  "SELECT n, data FROM annotations WHERE build_id = ? ORDER BY n FOR UPDATE",
                  "UPDATE annotations SET data = ? WHERE build_id = ? AND n = ?",
                  buildId,
                  change);
          if (rows > 0) {
            rewriteJson(
                c,
                "SELECT id, data FROM events WHERE build_id = ? AND type = 'annotation'"
                    + " ORDER BY id FOR UPDATE",
                "UPDATE events SET data = ? WHERE build_id = ? AND id = ?",
                buildId,
                change);
          }
          return rows;
        });
  }

  /** Rewrites the annotations {@code select} reads (key, data) with {@code update}. */
  private int rewriteJson(
      Connection c, String select, String update, long buildId, UnaryOperator<Annotation> change)
      throws SQLException {
    List<Object[]> changed = new ArrayList<>();
    for (Object[] row :
        Jdbc.query(c, select, rs -> new Object[] {rs.getLong(1), rs.getString(2)}, buildId)) {
      Annotation before = json.read((String) row[1], Annotation.class);
      Annotation after = change.apply(before);
      if (!after.equals(before)) {
        changed.add(new Object[] {json.write(after), buildId, row[0]});
      }
    }
    batch(c, update, changed);
    return changed.size();
  }
}
