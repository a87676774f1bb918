package dev.tailboard.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link RoomStore} on JDBC, in SQL that H2 and PostgreSQL both speak. */
@ApplicationScoped
public class JdbcRoomStore implements RoomStore {

  private static final String FRAME_COLUMNS = "seq, type, client_id, frame";
  private static final Jdbc.Row<StoredFrame> FRAME =
      rs -> new StoredFrame(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));

  /** SQLState of a unique key violation, on PostgreSQL and H2 alike. */
  private static final String UNIQUE_VIOLATION = "23505";

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
  public List<Write> appendAll(List<Write> writes) {
    try {
      jdbc.inTransaction(
          c -> {
            for (Write w : writes) {
              write(c, w);
            }
            return writes.size();
          });
      return List.of();
    } catch (StoreException e) {
      if (!isUniqueViolation(e.getCause())) {
        throw e;
      }
    }
    // Another node took a seq or version first: rare, so only then a savepoint per write (three
    // round trips instead of one on PostgreSQL) keeps the other rooms' writes of the batch.
    return jdbc.inTransaction(
        c -> {
          List<Write> refused = new ArrayList<>();
          Set<String> refusedRooms = new HashSet<>();
          for (Write w : writes) {
            if (refusedRooms.contains(w.room())) {
              // its seq comes after the refused one: the room redoes them in order
              refused.add(w);
              continue;
            }
            Savepoint before = c.setSavepoint();
            try {
              write(c, w);
              c.releaseSavepoint(before);
            } catch (SQLException e) {
              if (!isUniqueViolation(e)) {
                throw e;
              }
              c.rollback(before);
              refused.add(w);
              refusedRooms.add(w.room());
            }
          }
          return refused;
        });
  }

  private static boolean isUniqueViolation(Throwable e) {
    return e instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
  }

  private static void write(Connection c, Write w) throws SQLException {
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
  public void prune(String room, long throughSeq) {
    jdbc.inTransaction(
        c ->
            Jdbc.update(
                c, "DELETE FROM room_messages WHERE room = ? AND seq <= ?", room, throughSeq));
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
    Collections.reverse(newestFirst);
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

  @Override
  public void addMember(String room, String node, String conn, String member) {
    jdbc.inTransaction(
        c -> {
          // a member re-registered after its node was taken for dead may still have its row
          Jdbc.update(
              c,
              "DELETE FROM room_members WHERE room = ? AND node_id = ? AND conn_id = ?",
              room,
              node,
              conn);
          return Jdbc.update(
              c,
              "INSERT INTO room_members (room, node_id, conn_id, member) VALUES (?, ?, ?, ?)",
              room,
              node,
              conn,
              member);
        });
  }

  @Override
  public void removeMember(String room, String node, String conn) {
    jdbc.inTransaction(
        c ->
            Jdbc.update(
                c,
                "DELETE FROM room_members WHERE room = ? AND node_id = ? AND conn_id = ?",
                room,
                node,
                conn));
  }

  @Override
  public List<MemberRow> members(String room) {
    return jdbc.query(
        "SELECT m.node_id, m.conn_id, m.member FROM room_members m"
            + " JOIN cluster_nodes n ON n.node_id = m.node_id WHERE m.room = ?"
            + " ORDER BY m.node_id, m.conn_id",
        rs -> new MemberRow(rs.getString(1), rs.getString(2), rs.getString(3)),
        room);
  }

  @Override
  public boolean beat(String node, long seenAt) {
    return jdbc.inTransaction(
        c -> {
          if (Jdbc.update(c, "UPDATE cluster_nodes SET seen_at = ? WHERE node_id = ?", seenAt, node)
              > 0) {
            return true;
          }
          Jdbc.update(
              c, "INSERT INTO cluster_nodes (node_id, seen_at) VALUES (?, ?)", node, seenAt);
          return false;
        });
  }

  @Override
  public Map<String, Long> nodes() {
    Map<String, Long> nodes = new LinkedHashMap<>();
    jdbc.query(
            "SELECT node_id, seen_at FROM cluster_nodes",
            rs -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> nodes.put(e.getKey(), e.getValue()));
    return nodes;
  }

  @Override
  public void forgetNode(String node) {
    jdbc.inTransaction(
        c -> {
          Jdbc.update(c, "DELETE FROM room_members WHERE node_id = ?", node);
          return Jdbc.update(c, "DELETE FROM cluster_nodes WHERE node_id = ?", node);
        });
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

  @Override
  public void deleteRooms(List<String> rooms) {
    if (rooms.isEmpty()) {
      return;
    }
    Object[] names = rooms.toArray();
    String in = Jdbc.inList(names.length);
    jdbc.inTransaction(
        c ->
            Jdbc.update(c, "DELETE FROM room_messages WHERE room IN " + in, names)
                + Jdbc.update(c, "DELETE FROM doc_updates WHERE room IN " + in, names)
                + Jdbc.update(c, "DELETE FROM doc_snapshots WHERE room IN " + in, names));
  }
}
