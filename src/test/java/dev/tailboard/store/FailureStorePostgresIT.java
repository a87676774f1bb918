package dev.tailboard.store;

/** {@link FailureStoreTest} on PostgreSQL, the cluster's database: the same SQL must hold there. */
class FailureStorePostgresIT extends FailureStoreTest {

  @Override
  TestStores.Embedded stores() {
    return TestStores.onFreshPostgres("failures_");
  }
}
