package dev.tailboard.rooms;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The distinct rooms each client address is in ({@code rooms.maxPerClient}): every room loaded
 * costs memory and a store read, so one address may not hold more than the limit at once. Several
 * connections of one address to the same room count once.
 */
final class ClientRooms {

  private final int maxPerClient;

  /** Per client address: connections per room. The inner maps change only inside compute. */
  private final ConcurrentHashMap<String, Map<String, Integer>> rooms = new ConcurrentHashMap<>();

  ClientRooms(int maxPerClient) {
    this.maxPerClient = maxPerClient;
  }

  int maxPerClient() {
    return maxPerClient;
  }

  /** Counts a connection of {@code client} to {@code room}; false (not counted) past the limit. */
  boolean enter(String client, String room) {
    boolean[] entered = {false};
    rooms.compute(
        client,
        (k, held) -> {
          Map<String, Integer> in = held == null ? new HashMap<>() : held;
          if (in.containsKey(room) || in.size() < maxPerClient) {
            in.merge(room, 1, Integer::sum);
            entered[0] = true;
          }
          return in.isEmpty() ? null : in;
        });
    return entered[0];
  }

  /** Forgets one connection {@link #enter} counted. */
  void leave(String client, String room) {
    rooms.computeIfPresent(
        client,
        (k, in) -> {
          in.computeIfPresent(room, (r, n) -> n <= 1 ? null : n - 1);
          return in.isEmpty() ? null : in;
        });
  }
}
