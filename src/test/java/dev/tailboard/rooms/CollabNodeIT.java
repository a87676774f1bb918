package dev.tailboard.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.CollabClient;
import dev.tailboard.testing.ItServer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The shared notes (docs/protocol.md) against real {@code @codemirror/collab} clients: {@code
 * src/test/node/collab-client/collab.mjs} ({@link CollabClient}) runs two CodeMirror editors in one
 * Node process that type at the same time into a fresh room of the real WAR, pushing without
 * waiting for each other, so pushes are rejected and rebased; it checks that both editors and a
 * newcomer's welcome end with the same text at the same version.
 */
class CollabNodeIT {

  @Test
  void twoCodeMirrorClientsTypingAtOnceConvergeOnTheServersText() throws Exception {
    String wsBase = ItServer.baseUrl().replaceFirst("^http", "ws");
    String room = "collab-it-" + UUID.randomUUID().toString().substring(0, 8);

    JsonNode summary = CollabClient.run(wsBase, room).converged();

    System.out.println("collab.mjs " + room + ": " + summary);
  }
}
