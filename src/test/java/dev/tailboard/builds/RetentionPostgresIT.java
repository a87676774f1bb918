package dev.tailboard.builds;

import dev.tailboard.store.TestStores;
import dev.tailboard.testing.Postgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/** {@link RetentionTest} on PostgreSQL, the cluster's database: the same SQL must hold there. */
class RetentionPostgresIT extends RetentionTest {

  @Override
  TestStores.Embedded stores() {
    try {
      Postgres postgres = Postgres.shared();
      String name = "retention_" + UUID.randomUUID().toString().replace("-", "");
      postgres.createDatabase(name);
      return TestStores.on(postgres.jdbcUrl(name), Postgres.USER);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
