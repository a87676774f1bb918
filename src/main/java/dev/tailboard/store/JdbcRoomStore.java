package dev.tailboard.store;

import dev.tailboard.room.RoomStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** {@link RoomStore} on JDBC, in SQL that H2 and PostgreSQL both speak. */
@ApplicationScoped
public class JdbcRoomStore implements RoomStore {

  private static final String FRAME_COLUMNS = "seq, type, client_id, frame";
  private static final Jdbc.Row<StoredFrame> FRAME =
      rs -> new StoredFrame(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));

  @Inject Jdbc jdbc;

  @Override
  public long lastSeq(String room) {
    return jdbc.query(
            "SELECT COALESCE(MAX(seq), 0) FROM room_messages WHERE room = ?",
            rs -> rs.getLong(1),
            room)
        .get(0);
  }

  @Override
  public void appendAll(List<Write> writes) {
    jdbc.inTransaction(
        c -> {
          for (Write w : writes) {
            insert(c, w.room(), w.frame());
            if (w.updates() != null) {
              for (DocUpdate u : w.updates()) {
                Jdbc.update(
                    c,
                    "INSERT INTO doc_updates (room, doc, version, client_id, changes)"
                        + " VALUES (?, ?, ?, ?, ?)",
                    w.room(),
                    w.doc(),
                    u.version(),
                    u.clientId(),
                    u.changes());
              }
            }
            if (w.snapshot() != null) {
              compact(c, w.room(), w.doc(), w.snapshot());
            }
          }
          return writes.size();
        });
  }

  private static int insert(Connection c, String room, StoredFrame f) throws SQLException {
    return Jdbc.update(
        c,
        "INSERT INTO room_messages (room, seq, type, client_id, frame) VALUES (?, ?, ?, ?, ?)",
        room,
        f.seq(),
        f.type(),
        f.clientId(),
        f.frame());
  }

  @Override
  public List<StoredFrame> after(String room, long afterSeq, int limit) {
    return jdbc.query(
        "SELECT "
            + FRAME_COLUMNS
            + " FROM room_messages WHERE room = ? AND seq > ?"
            + " ORDER BY seq LIMIT ?",
        FRAME,
        room,
        afterSeq,
        limit);
  }

  @Override
  public List<StoredFrame> latest(String room, String type, int limit) {
    List<StoredFrame> newestFirst =
        jdbc.query(
            "SELECT "
                + FRAME_COLUMNS
                + " FROM room_messages WHERE room = ? AND type = ?"
                + " ORDER BY seq DESC LIMIT ?",
            FRAME,
            room,
            type,
            limit);
    java.util.Collections.reverse(newestFirst);
    return newestFirst;
  }

  @Override
  public Snapshot snapshot(String room, String doc) {
    List<Snapshot> found =
        jdbc.query(
            "SELECT version, text FROM doc_snapshots WHERE room = ? AND doc = ?",
            rs -> new Snapshot(rs.getInt(1), rs.getString(2)),
            room,
            doc);
    return found.isEmpty() ? new Snapshot(0, "") : found.get(0);
  }

  @Override
  public List<DocUpdate> updates(String room, String doc, int fromVersion) {
    return jdbc.query(
        "SELECT version, client_id, changes FROM doc_updates WHERE room = ? AND doc = ?"
            + " AND version >= ? ORDER BY version",
        rs -> new DocUpdate(rs.getInt(1), rs.getString(2), rs.getString(3)),
        room,
        doc,
        fromVersion);
  }

  private static int compact(Connection c, String room, String doc, Snapshot snapshot)
      throws SQLException {
    int changed =
        Jdbc.update(
            c,
            "UPDATE doc_snapshots SET version = ?, text = ? WHERE room = ? AND doc = ?",
            snapshot.version(),
            snapshot.text(),
            room,
            doc);
    if (changed == 0) {
      Jdbc.update(
          c,
          "INSERT INTO doc_snapshots (room, doc, version, text) VALUES (?, ?, ?, ?)",
          room,
          doc,
          snapshot.version(),
          snapshot.text());
    }
    return Jdbc.update(
        c,
        "DELETE FROM doc_updates WHERE room = ? AND doc = ? AND version < ?",
        room,
        doc,
        snapshot.version());
  }
}
