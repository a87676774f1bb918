package dev.tailboard.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/** Makes the one {@link ClusterBus}: LISTEN/NOTIFY on PostgreSQL, nothing on H2 (one node). */
@ApplicationScoped
public class ClusterBuses {

  @Inject Database database;

  @Produces
  @ApplicationScoped
  ClusterBus bus() {
    return database.postgres() ? new PgNotifyBus(database) : new SingleNodeBus();
  }

  void close(@Disposes ClusterBus bus) {
    if (bus instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // undeploying: nothing left to tell
      }
    }
  }
}
