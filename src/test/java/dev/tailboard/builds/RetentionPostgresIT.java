package dev.tailboard.builds;

import dev.tailboard.store.TestStores;

/** {@link RetentionTest} on PostgreSQL, the cluster's database: the same SQL must hold there. */
class RetentionPostgresIT extends RetentionTest {

  @Override
  TestStores.Embedded stores() {
    return TestStores.onFreshPostgres("retention_");
  }
}
