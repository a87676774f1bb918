package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.auth.Caller;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a handshake's caller reaches its connection, and what happens when a container shares. */
class RoomConfiguratorTest {

  private static Handshake of(String subject) {
    Caller caller = new Caller(subject, true, false, List.of(), List.of("**"));
    return new Handshake(caller, null, "10.0.0.1");
  }

  @AfterEach
  void forget() {
    RoomConfigurator.forgetSharedProperties();
  }

  @Test
  void eachConnectionGetsTheHandshakeRecordedInItsOwnCopy() {
    Map<String, Object> deployed = Map.of("x", 1);
    Map<String, Object> first = new HashMap<>(deployed);
    Map<String, Object> second = new HashMap<>(deployed);
    RoomConfigurator.record(first, of("ana"));
    RoomConfigurator.record(second, of("bob"));

    assertThat(RoomConfigurator.handshake(first).caller().name()).isEqualTo("ana");
    assertThat(RoomConfigurator.handshake(second).caller().name()).isEqualTo("bob");
  }

  @Test
  void aContainerSharingThePropertiesGetsNoCallerRatherThanAnotherOne() {
    Map<String, Object> shared = new HashMap<>();
    RoomConfigurator.record(shared, of("ana"));
    // bob's handshake overwrites ana's before ana's connection opens
    RoomConfigurator.record(shared, of("bob"));

    assertThat(RoomConfigurator.handshake(shared)).isNull();
    // and for good: a later handshake alone may still have been overwritten unseen
    Map<String, Object> own = new HashMap<>();
    RoomConfigurator.record(own, of("carol"));
    assertThat(RoomConfigurator.handshake(own)).isNull();
  }

  @Test
  void aSessionWithoutTheHandshakeGetsNone() {
    assertThat(RoomConfigurator.handshake(new HashMap<>())).isNull();
  }
}
