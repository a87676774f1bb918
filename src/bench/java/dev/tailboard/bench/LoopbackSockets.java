package dev.tailboard.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the kernel knows about a benchmark's own sockets to the server, read off {@code
 * /proc/net/tcp}: whether each is still established and how many bytes wait in its receive queue.
 * Clients that never read can be watched this way without reading a byte.
 */
final class LoopbackSockets {

  private LoopbackSockets() {}

  /** The local ports of {@code sockets}: how the kernel's table names them. */
  static List<Integer> ports(List<Socket> sockets) {
    return sockets.stream().map(Socket::getLocalPort).toList();
  }

  /** Waits until every socket has bytes from the server waiting, or is no longer established. */
  static int awaitAnswered(List<Integer> sockets, int serverPort, Duration max) {
    int[] answered = {0};
    try {
      Awaitility.await()
          .atMost(max)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                Map<Integer, long[]> table = tcp(serverPort);
                int yes = 0;
                int gone = 0;
                for (int port : sockets) {
                  long[] row = table.get(port);
                  if (row == null || row[0] != ESTABLISHED) {
                    gone++;
                  } else if (row[1] > 0) {
                    yes++;
                  }
                }
                answered[0] = yes;
                return yes + gone == sockets.size();
              });
    } catch (ConditionTimeoutException e) {
      // reported as the count answered by then, not as a failed run
    }
    return answered[0];
  }

  static int established(List<Integer> sockets, int serverPort) throws IOException {
    Map<Integer, long[]> table = tcp(serverPort);
    int n = 0;
    for (int port : sockets) {
      long[] row = table.get(port);
      n += row != null && row[0] == ESTABLISHED ? 1 : 0;
    }
    return n;
  }

  static final long ESTABLISHED = 1;

  /**
   * The load side's connections to the server: local port → {state, bytes in the receive queue},
   * from the kernel's table (IPv4 and IPv6: the JDK opens dual-stack sockets).
   */
  static Map<Integer, long[]> tcp(int serverPort) throws IOException {
    Map<Integer, long[]> rows = new HashMap<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(file);
      if (!Files.exists(path)) {
        continue;
      }
      for (String line : Files.readAllLines(path)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 5 || !f[2].contains(":")) {
          continue;
        }
        int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
        if (remotePort != serverPort) {
          continue;
        }
        int localPort = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
        long state = Long.parseLong(f[3], 16);
        long rx = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
        rows.put(localPort, new long[] {state, rx});
      }
    }
    return rows;
  }
}
