package dev.tailboard.store;

import java.util.List;
import java.util.Map;

/**
 * The durable part of rooms: stored messages (numbered by the room's seq) and the shared documents'
 * updates and snapshots. Each method returns only after what it wrote is committed.
 */
public interface RoomStore {

  /**
   * The name of build {@code buildId}'s room: here, not in {@code rooms}, so that deleting a build
   * ({@code builds.Retention}) names its room without importing the rooms feature.
   */
  static String buildRoom(long buildId) {
    return "build-" + buildId;
  }

  /** A stored message as sent to clients. */
  record StoredFrame(long seq, String type, String clientId, String frame) {}

  /** One collab update: the document version it applies to, who made it, its changes JSON. */
  record DocUpdate(int version, String clientId, String changes) {}

  /** A document's text at a version. */
  record Snapshot(int version, String text) {}

  /**
   * One stored room message and what comes with it: a document's updates, and a snapshot that
   * replaces the updates it covers.
   */
  record Write(
      String room, StoredFrame frame, String doc, List<DocUpdate> updates, Snapshot snapshot) {}

  /** A member of a room on some node, as {@code room_members} holds it (member as JSON). */
  record MemberRow(String node, String conn, String member) {}

  /**
   * Stores many writes, of any rooms, in one transaction (group commit). Writes of one room must
   * come in seq order. A write refused for a unique key (another node stored that seq or document
   * version first) is left out with every later write of its room, and the others are stored;
   * returns the writes left out (empty when all were stored). Any other failure stores nothing.
   */
  List<Write> appendAll(List<Write> writes);

  /**
   * Deletes the room's stored messages up to {@code throughSeq} ({@code rooms.maxStoredMessages}
   * keeps the newest); the seq goes on from the highest, which is never deleted.
   */
  void prune(String room, long throughSeq);

  /** The highest seq stored for the room, 0 if none. */
  long lastSeq(String room);

  /** Messages with seq greater than {@code afterSeq}, in seq order, at most {@code limit}. */
  List<StoredFrame> after(String room, long afterSeq, int limit);

  /** The newest {@code limit} messages of a type, oldest first. */
  List<StoredFrame> latest(String room, String type, int limit);

  /** The document's snapshot (version 0 and empty text if none). */
  Snapshot snapshot(String room, String doc);

  /** Updates from {@code fromVersion} on, in version order. */
  List<DocUpdate> updates(String room, String doc, int fromVersion);

  /** Records a member of a room on a node (clustered only). */
  void addMember(String room, String node, String conn, String member);

  /** Forgets a member of a room on a node (clustered only). */
  void removeMember(String room, String node, String conn);

  /** The room's members on nodes that have a heartbeat row. */
  List<MemberRow> members(String room);

  /**
   * The node's heartbeat: sets its {@code seen_at}; false when it had no row (new, or forgotten by
   * a node that took it for dead).
   */
  boolean beat(String node, long seenAt);

  /** Every node's last {@code seen_at}. */
  Map<String, Long> nodes();

  /** Deletes a node's heartbeat and its members (idempotent: any node may do it). */
  void forgetNode(String node);

  /**
   * Deletes every stored message, document update and snapshot of the given rooms, in one
   * transaction (all of them or none); rooms with nothing stored are skipped, so repeating a call
   * is harmless. Members and what rooms open on a node hold in memory are not touched: callers
   * delete only rooms nobody may join any more (a deleted build's).
   */
  void deleteRooms(List<String> rooms);
}
