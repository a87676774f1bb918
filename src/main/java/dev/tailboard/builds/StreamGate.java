package dev.tailboard.builds;

import dev.tailboard.net.ClientOutputs;
import dev.tailboard.support.ProblemException;
import jakarta.servlet.http.HttpServletRequest;

/** What every long-lived request passes first: the per-client connection limit. */
final class StreamGate {

  private StreamGate() {}

  /**
   * @throws ProblemException 429 when the client holds {@code limits.connectionsPerClient} streams
   *     and long-polls already
   */
  static void admit(ClientOutputs outputs, HttpServletRequest request) {
    if (!outputs.admits(request)) {
      throw new ProblemException(
          429,
          "Too Many Requests",
          "this client holds "
              + outputs.maxPerClient()
              + " open streams, long-polls and WebSockets (limits.connectionsPerClient); close one first");
    }
  }
}
