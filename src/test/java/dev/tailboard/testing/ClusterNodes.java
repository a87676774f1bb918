package dev.tailboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Several Tailboard nodes for a cluster test: each a {@link WarServer} (its own JVM, port and data
 * directory), all on one database, so they serve the same builds and wake each other through it.
 * Put {@link Nginx} in front of {@link #baseUrls()} to reach them as one.
 */
public final class ClusterNodes implements AutoCloseable {

  private final List<WarServer> nodes;

  private ClusterNodes(List<WarServer> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  /**
   * Starts {@code n} nodes on the PostgreSQL database at {@code jdbcUrl} (as {@link Postgres#USER},
   * no password) and waits until all are healthy.
   */
  public static ClusterNodes start(int n, String jdbcUrl) throws IOException {
    return start(
        n,
        Map.of(
            "tailboard.db.url",
            jdbcUrl,
            "tailboard.db.user",
            Postgres.USER,
            "tailboard.db.password",
            ""));
  }

  /**
   * Starts {@code n} nodes with the given system properties each and waits until all are healthy.
   * They start in parallel (a node spends most of its start deploying the WAR); if one fails, the
   * others are stopped and its failure is thrown.
   */
  public static ClusterNodes start(int n, Map<String, String> properties) throws IOException {
    ExecutorService starters = Executors.newFixedThreadPool(n);
    try {
      List<CompletableFuture<WarServer>> starting = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        starting.add(CompletableFuture.supplyAsync(() -> startNode(properties), starters));
      }
      List<WarServer> started = new ArrayList<>();
      RuntimeException failure = null;
      for (CompletableFuture<WarServer> node : starting) {
        try {
          started.add(node.join());
        } catch (CompletionException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        new ClusterNodes(started).close();
        throw new IOException("a cluster node did not start", failure.getCause());
      }
      return new ClusterNodes(started);
    } finally {
      starters.shutdown();
    }
  }

  private static WarServer startNode(Map<String, String> properties) {
    try {
      return WarServer.start(properties);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Node {@code i}, from 0. */
  public WarServer node(int i) {
    return nodes.get(i);
  }

  public List<WarServer> nodes() {
    return nodes;
  }

  public int size() {
    return nodes.size();
  }

  /** The nodes' base URLs, in order: what {@link Nginx#start} takes. */
  public List<String> baseUrls() {
    return nodes.stream().map(WarServer::baseUrl).toList();
  }

  /** Kills node {@code i} with SIGKILL (kill -9); {@link WarServer#startAgain} brings it back. */
  public void kill(int i) throws InterruptedException {
    nodes.get(i).kill();
  }

  /** Stops every node that is still running. */
  @Override
  public void close() {
    for (WarServer node : nodes) {
      try {
        node.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
