package dev.tailboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.store.RoomStore.DocUpdate;
import dev.tailboard.store.RoomStore.Snapshot;
import dev.tailboard.store.RoomStore.StoredFrame;
import dev.tailboard.store.RoomStore.Write;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link JdbcRoomStore} on a real H2 database migrated by Flyway, as two nodes would share it. */
class JdbcRoomStoreTest {

  private final TestStores.Embedded db = TestStores.embedded();
  private final JdbcRoomStore store = db.rooms();

  @AfterEach
  void close() {
    db.close();
  }

  private static Write chat(String room, long seq) {
    return new Write(room, new StoredFrame(seq, "chat", "c" + seq, "{}"), null, null, null);
  }

  private static Write push(String room, long seq, int version) {
    return new Write(
        room,
        new StoredFrame(seq, "doc.updates", null, "{}"),
        "notes",
        List.of(new DocUpdate(version, "me", "[[0,\"x\"]]")),
        null);
  }

  @Test
  void aBatchWithoutConflictsIsStoredWhole() {
    assertThat(store.appendAll(List.of(chat("a", 1), chat("b", 1), chat("a", 2)))).isEmpty();
    assertThat(store.lastSeq("a")).isEqualTo(2);
    assertThat(store.lastSeq("b")).isEqualTo(1);
  }

  @Test
  void pruningDeletesOnlyTheRoomsOlderMessagesAndTheSeqGoesOn() {
    store.appendAll(List.of(chat("a", 1), chat("a", 2), chat("a", 3), chat("b", 1)));
    store.appendAll(List.of(push("a", 4, 0)));

    store.prune("a", 2);

    assertThat(store.after("a", 0, 10)).extracting(StoredFrame::seq).containsExactly(3L, 4L);
    assertThat(store.after("b", 0, 10)).extracting(StoredFrame::seq).containsExactly(1L);
    assertThat(store.lastSeq("a")).isEqualTo(4);
    // the document's updates are stored apart and stay
    assertThat(store.updates("a", "notes", 0)).hasSize(1);
  }

  @Test
  void aSeqAnotherNodeTookIsRefusedWithTheRoomsLaterWritesAndTheRestIsStored() {
    store.appendAll(List.of(chat("a", 1)));
    Write taken = chat("a", 1);
    Write after = chat("a", 2);
    Write other = chat("b", 1);
    List<Write> refused = store.appendAll(List.of(taken, other, after));
    assertThat(refused).containsExactly(taken, after);
    assertThat(store.lastSeq("a")).isEqualTo(1);
    assertThat(store.lastSeq("b")).isEqualTo(1);
    assertThat(store.after("a", 0, 10)).extracting(StoredFrame::clientId).containsExactly("c1");
  }

  @Test
  void aDocumentVersionAnotherNodeTookIsRefusedEvenUnderAFreeSeq() {
    store.appendAll(List.of(push("a", 1, 0)));
    Write stale = push("a", 2, 0);
    assertThat(store.appendAll(List.of(stale, chat("b", 1)))).containsExactly(stale);
    assertThat(store.lastSeq("a")).isEqualTo(1);
    assertThat(store.updates("a", "notes", 0)).hasSize(1);
    assertThat(store.lastSeq("b")).isEqualTo(1);
  }

  @Test
  void membersAreListedForNodesWithAHeartbeatAndForgottenWithTheirNode() {
    assertThat(store.beat("n1", 1)).isFalse();
    assertThat(store.beat("n1", 2)).isTrue();
    store.beat("n2", 1);
    store.addMember("r", "n1", "c1", "{\"id\":\"m1\"}");
    store.addMember("r", "n2", "c2", "{\"id\":\"m2\"}");
    store.addMember("r", "gone", "c3", "{\"id\":\"m3\"}");
    assertThat(store.members("r"))
        .extracting(m -> m.node() + "/" + m.conn())
        .containsExactly("n1/c1", "n2/c2");
    store.removeMember("r", "n1", "c1");
    store.forgetNode("n2");
    store.forgetNode("n2");
    assertThat(store.members("r")).isEmpty();
    assertThat(store.nodes()).containsOnlyKeys("n1").containsEntry("n1", 2L);
  }

  @Test
  void deleteRoomsDeletesTheirMessagesUpdatesAndSnapshotsOnly() {
    Write snapshot =
        new Write(
            "gone",
            new StoredFrame(3, "doc.updates", null, "{}"),
            "notes",
            List.of(new DocUpdate(1, "me", "[]")),
            new Snapshot(1, "text"));
    store.appendAll(List.of(chat("gone", 1), push("gone", 2, 0), snapshot, chat("kept", 1)));
    store.appendAll(List.of(push("kept", 2, 0)));

    store.deleteRooms(List.of("gone", "never-stored"));
    store.deleteRooms(List.of("gone")); // again: nothing left, no error

    assertThat(store.lastSeq("gone")).isZero();
    assertThat(store.updates("gone", "notes", 0)).isEmpty();
    assertThat(store.snapshot("gone", "notes").version()).isZero();
    assertThat(store.after("kept", 0, 10)).extracting(StoredFrame::seq).containsExactly(1L, 2L);
    assertThat(store.updates("kept", "notes", 0)).hasSize(1);
  }
}
