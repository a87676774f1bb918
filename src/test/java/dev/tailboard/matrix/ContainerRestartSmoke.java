package dev.tailboard.matrix;

import static dev.tailboard.testing.Api.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailboard.testing.Api;
import dev.tailboard.testing.WsClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The second half of the container smoke suite: after the container restarted on the same data
 * directory, what {@link ContainerSmoke} stored is still there.
 */
class ContainerRestartSmoke {

  private final Api api = Api.publisher();

  @Test
  void theEmbeddedStoreKeptTheBuildAndTheRoomAcrossTheRestart() throws IOException {
    JsonNode state =
        Api.JSON.readTree(Files.readString(Path.of(System.getProperty("tailboard.matrix.state"))));
    long build = state.get("build").asLong();
    assertThat(api.build(build).get("status").asText()).isEqualTo("passed");
    assertThat(ContainerSmoke.log(api, build)).isEqualTo(lines("kept", 1, 5));
    try (WsClient bo = ContainerSmoke.join(state.get("room").asText(), "bo")) {
      JsonNode chat = bo.welcome().get("chat");
      assertThat(chat).hasSize(1);
      assertThat(chat.get(0).get("text").asText()).isEqualTo("still here after a restart?");
    }
  }
}
