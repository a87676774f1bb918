package dev.tailboard.room;

import java.util.List;

/**
 * The durable part of rooms: stored messages (numbered by the room's seq) and the shared documents'
 * updates and snapshots. Each method returns only after what it wrote is committed.
 */
public interface RoomStore {

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

  /**
   * Stores many writes, of any rooms, in one transaction (group commit): all or none. Writes of one
   * room must come in seq order.
   */
  void appendAll(List<Write> writes);

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
}
