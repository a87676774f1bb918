package dev.tailboard.builds;

import static dev.tailboard.builds.BuildApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tailboard.testing.Api;
import dev.tailboard.testing.ItServer;
import dev.tailboard.testing.WarServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code search.maxConcurrent} in the real WAR: searches past it are answered 429 at once. */
class SearchLimitsIT {

  @Test
  void searchesPastMaxConcurrentAre429WithRetryAfterAndTheOthersAnswer() throws Exception {
    try (WarServer server =
        WarServer.start(
            Map.of(
                "tailboard.search.maxConcurrent", "1",
                "tailboard.search.budgetMillis", "3000"))) {
      Api api = new Api(server.baseUrl(), ItServer.publisher());
      long id = api.createBuild();
      for (int i = 0; i < 5; i++) {
        api.append(id, Api.lines("line-" + i, 1, 10_000));
      }
      String search = "/api/builds/" + id + "/log/search?q=absent";

      // A burst overlaps on any machine sooner or later; every answer of every burst is a full
      // page or a proper 429.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                List<HttpResponse<String>> answers = burst(api, search, 6);
                answers.stream()
                    .filter(r -> r.statusCode() != 200)
                    .forEach(
                        r -> {
                          assertProblem(r, 429);
                          assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
                        });
                answers.stream()
                    .filter(r -> r.statusCode() == 200)
                    .forEach(r -> assertThat(Api.json(r).get("matches")).isEmpty());
                return answers.stream().anyMatch(r -> r.statusCode() == 429);
              });
      assertThat(api.get(search).statusCode()).as("a search after the burst").isEqualTo(200);
    }
  }

  /** {@code n} searches at once, each on a thread of its own (the common pool may have one). */
  private static List<HttpResponse<String>> burst(Api api, String path, int n) {
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      List<CompletableFuture<HttpResponse<String>>> all =
          IntStream.range(0, n)
              .mapToObj(i -> CompletableFuture.supplyAsync(() -> api.get(path), threads))
              .toList();
      return all.stream().map(CompletableFuture::join).toList();
    } finally {
      threads.shutdown();
    }
  }
}
