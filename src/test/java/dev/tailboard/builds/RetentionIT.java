package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.Postgres;
import dev.tailboard.testing.WarServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention in the real WAR on PostgreSQL: a build that finished longer ago than {@code
 * retention.days} disappears in the background and answers 404; the others stay.
 */
class RetentionIT {

  @Test
  void aBuildPastRetentionIsDeletedInTheBackgroundAndAnswers404() throws Exception {
    Postgres postgres = Postgres.shared();
    postgres.createDatabase("retention_it");
    try (WarServer server =
        WarServer.start(
            Map.of(
                "tailboard.db.url",
                postgres.jdbcUrl("retention_it"),
                "tailboard.db.user",
                Postgres.USER,
                "tailboard.retention.days",
                "1",
                "tailboard.retention.intervalSeconds",
                "1"))) {
      Api api = new Api(server.baseUrl(), ItServer.publisher());
      long old = finishedBuild(api);
      long recent = finishedBuild(api);
      long running = api.createBuild();
      api.append(running, List.of("still going"));
      // the clock cannot be turned, so the build's finish is moved two days back
      long twoDaysAgo = Instant.now().minus(Duration.ofDays(2)).toEpochMilli();
      postgres.query(
          "retention_it", "UPDATE builds SET finished_at = " + twoDaysAgo + " WHERE id = " + old);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.get("/api/builds/" + old).statusCode() == 404);

      assertThat(api.get("/api/builds/" + old + "/log").statusCode()).isEqualTo(404);
      assertThat(api.get("/api/builds/" + old + "/events").statusCode()).isEqualTo(404);
      assertThat(api.build(recent).get("status").asText()).isEqualTo("passed");
      assertThat(api.build(running).get("status").asText()).isEqualTo("running");
      assertThat(api.get("/api/builds/" + recent + "/log").body()).isEqualTo("line\n");
    }
  }

  private static long finishedBuild(Api api) {
    long id = api.createBuild();
    api.append(id, List.of("line"));
    api.status(id, "passed");
    return id;
  }
}
