package dev.tailboard.store;

import dev.tailboard.config.Config;
import dev.tailboard.support.Json;
import dev.tailboard.testing.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

/** Stores on a fresh in-memory H2 database, migrated by Flyway as the WAR does it. */
public final class TestStores {

  private TestStores() {}

  /** A database of its own and the stores on it; close it after the test. */
  public record Embedded(Database database, JdbcRoomStore rooms, JdbcEventStore events)
      implements AutoCloseable {
    @Override
    public void close() {
      database.close();
    }

    /** How many rows of {@code table} belong to build {@code buildId}. */
    public long rows(String table, long buildId) {
      return events
          .jdbc
          .query(
              "SELECT COUNT(*) FROM " + table + " WHERE build_id = ?", rs -> rs.getLong(1), buildId)
          .get(0);
    }
  }

  /** The embedded database's bus: one node, nobody to tell. */
  public static ClusterBus singleNodeBus() {
    return new SingleNodeBus();
  }

  public static Embedded embedded() {
    return on("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa");
  }

  /**
   * The stores on a new database (named {@code prefix} and a random part) of the tests' PostgreSQL.
   */
  public static Embedded onFreshPostgres(String prefix) {
    try {
      Postgres postgres = Postgres.shared();
      String name = prefix + UUID.randomUUID().toString().replace("-", "");
      postgres.createDatabase(name);
      return on(postgres.jdbcUrl(name), Postgres.USER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stores on the database at {@code url} (H2 or PostgreSQL), migrated by Flyway. */
  public static Embedded on(String url, String user) {
    Map<String, String> settings = Map.of("tailboard.db.url", url, "tailboard.db.user", user);
    Database database = new Database();
    database.config = new Config(settings::get, Map.of());
    Jdbc jdbc = new Jdbc();
    jdbc.database = database;
    JdbcRoomStore rooms = new JdbcRoomStore();
    rooms.jdbc = jdbc;
    JdbcEventStore events = new JdbcEventStore();
    events.jdbc = jdbc;
    events.json = new Json();
    return new Embedded(database, rooms, events);
  }
}
