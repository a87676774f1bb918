package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** rooms.maxPerClient: distinct rooms per client address. */
class ClientRoomsTest {

  private final ClientRooms rooms = new ClientRooms(2);

  @Test
  void aClientEntersAtMostTheLimitOfDistinctRooms() {
    assertThat(rooms.enter("a", "r1")).isTrue();
    assertThat(rooms.enter("a", "r2")).isTrue();
    assertThat(rooms.enter("a", "r3")).isFalse();
    // another address has its own count
    assertThat(rooms.enter("b", "r3")).isTrue();
  }

  @Test
  void moreConnectionsToARoomItIsInCountOnce() {
    rooms.enter("a", "r1");
    rooms.enter("a", "r2");
    assertThat(rooms.enter("a", "r1")).isTrue();
    rooms.leave("a", "r1");
    // one connection to r1 is left: still two rooms
    assertThat(rooms.enter("a", "r3")).isFalse();
    rooms.leave("a", "r1");
    assertThat(rooms.enter("a", "r3")).isTrue();
  }

  @Test
  void aRefusedEntryCountsNothing() {
    rooms.enter("a", "r1");
    rooms.enter("a", "r2");
    assertThat(rooms.enter("a", "r3")).isFalse();
    rooms.leave("a", "r3"); // the refused connection closes: nothing to give back
    rooms.leave("a", "r2");
    assertThat(rooms.enter("a", "r3")).isTrue();
    assertThat(rooms.enter("a", "r4")).isFalse();
  }
}
