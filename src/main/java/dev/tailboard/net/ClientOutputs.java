package dev.tailboard.net;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.config.Threads;
import dev.tailboard.metrics.Metrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Owns every open {@link ClientOutput}: makes them with the configured bounds, counts them and the
 * room WebSockets per client address ({@code limits.connectionsPerClient}), and once a second cuts
 * each one whose socket has taken nothing for {@code sse.writeTimeoutSeconds} while bytes wait, so
 * a stalled client never holds more than its bounded queue and never a thread.
 */
@ApplicationScoped
public class ClientOutputs {

  @Inject Config config;
  @Inject Metrics metrics;

  private final Set<ClientOutput> open = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Integer> perClient = new ConcurrentHashMap<>();
  private final AtomicLong cut = new AtomicLong();
  private ScheduledExecutorService ticker;
  private long roomBytes;
  private long limitBytes;
  private long deadlineMillis;
  private int maxPerClient;
  private Set<String> trustedProxies;

  @PostConstruct
  void start() {
    roomBytes = config.integer(Setting.SSE_OUTPUT_BYTES);
    limitBytes = Math.max(roomBytes, config.integer(Setting.SSE_QUEUE_BYTES));
    deadlineMillis = config.integer(Setting.SSE_WRITE_TIMEOUT_SECONDS) * 1000L;
    maxPerClient = config.integer(Setting.LIMITS_CONNECTIONS_PER_CLIENT);
    trustedProxies =
        Arrays.stream(config.string(Setting.TRUSTED_PROXIES).split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    metrics.gauge(
        "tailboard.output.connections", "Open streaming responses (SSE, long-poll)", open::size);
    metrics.gauge(
        "tailboard.output.queued.bytes", "Bytes waiting for clients' sockets", this::queuedBytes);
    metrics.gauge(
        "tailboard.output.stalled.cuts", "Connections cut at the write deadline", cut::get);
    ticker = Threads.scheduler("tailboard-write-deadline");
    ticker.scheduleAtFixedRate(this::cutStalled, 1, 1, TimeUnit.SECONDS);
  }

  @PreDestroy
  void stop() {
    ticker.shutdownNow();
    open.forEach(ClientOutput::abort);
  }

  /** A new output for a response that just became asynchronous. */
  ClientOutput open(ServletOutputStream out, String client) {
    ClientOutput output =
        new ClientOutput(
            out, roomBytes, limitBytes, System::currentTimeMillis, client, this::closed);
    open.add(output);
    perClient.merge(client, 1, Integer::sum);
    return output;
  }

  /** The response ended: forget it. Safe to call more than once. */
  void closed(ClientOutput output) {
    if (open.remove(output)) {
      release(output.client());
    }
  }

  /**
   * Counts another long-lived connection of {@code client} that is not a stream (a WebSocket), if
   * the client holds fewer than the limit; returns whether it was counted. Streams and WebSockets
   * share one count per address, kept here only.
   */
  public boolean acquire(String client) {
    boolean[] counted = {false};
    perClient.compute(
        client,
        (k, n) -> {
          int held = n == null ? 0 : n;
          if (held >= maxPerClient) {
            return n;
          }
          counted[0] = true;
          return held + 1;
        });
    return counted[0];
  }

  /** Forgets one connection {@link #acquire} counted (or a stream that ended). */
  public void release(String client) {
    perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * True while the request's client holds fewer long-lived connections than the limit allows, not
   * counting the request's own (it counts from the moment it turned asynchronous).
   */
  public boolean admits(HttpServletRequest request) {
    int held = perClient.getOrDefault(clientAddress(request), 0);
    if (output(request) != null) {
      held--;
    }
    return held < maxPerClient;
  }

  /** The non-blocking output of a request that turned asynchronous, or null. */
  public static ClientOutput output(HttpServletRequest request) {
    return request.getAttribute(ClientOutput.ATTRIBUTE) instanceof ClientOutput o ? o : null;
  }

  /** The configured limit, for the error a refused client gets. */
  public int maxPerClient() {
    return maxPerClient;
  }

  /**
   * The address a client's connections count against: the peer's, or — when the peer is a trusted
   * proxy — the last address in {@code X-Forwarded-For} that is not one of ours.
   */
  public String clientAddress(HttpServletRequest request) {
    String peer = request.getRemoteAddr();
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded == null || !trustedProxies.contains(peer)) {
      return peer;
    }
    String[] hops = forwarded.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }

  /** Long-lived connections open now. */
  public int openCount() {
    return open.size();
  }

  /** Bytes waiting for clients' sockets, over all connections. */
  public long queuedBytes() {
    return open.stream().mapToLong(ClientOutput::queuedBytes).sum();
  }

  /** Connections cut because their socket took nothing for the write deadline. */
  public long cutCount() {
    return cut.get();
  }

  private void cutStalled() {
    long now = System.currentTimeMillis();
    for (ClientOutput output : open) {
      long since = output.blockedSince();
      if (since != 0 && now - since > deadlineMillis) {
        cut.incrementAndGet();
        output.abort();
      }
    }
  }
}
