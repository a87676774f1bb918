package dev.tailboard.room;

import java.util.ArrayList;
import java.util.List;

/**
 * The authority of one shared document, as {@code @codemirror/collab} expects it: the list of
 * accepted updates, whose length is the version. A push must be based on the current version; its
 * changes are applied to keep the text. Old updates are dropped from memory once a snapshot holds
 * them; a client older than that gets the whole text. Not thread-safe: its room's lock guards it.
 */
final class CollabDoc {

  /** Accepted updates kept in memory for pulls; older ones are only in the snapshot. */
  static final int KEEP_UPDATES = 200;

  private String text;
  private int version;

  /** The version of {@code recent.get(0)}. */
  private int recentFrom;

  private final List<Frames.Update> recent = new ArrayList<>();

  CollabDoc(int snapshotVersion, String snapshotText) {
    this.version = snapshotVersion;
    this.recentFrom = snapshotVersion;
    this.text = snapshotText;
  }

  String text() {
    return text;
  }

  int version() {
    return version;
  }

  /**
   * The text after {@code changes}, without changing anything.
   *
   * @throws InvalidChangeException if a change does not fit the document
   */
  String preview(List<ChangeSet> changes) {
    String next = text;
    for (ChangeSet change : changes) {
      next = change.apply(next);
    }
    return next;
  }

  /** Accepts updates whose result {@link #preview} computed and the store has kept. */
  void commit(List<Frames.Update> updates, String newText) {
    text = newText;
    version += updates.size();
    recent.addAll(updates);
    if (recent.size() > 2 * KEEP_UPDATES) {
      int drop = recent.size() - KEEP_UPDATES;
      recent.subList(0, drop).clear();
      recentFrom += drop;
    }
  }

  /** Replays a stored update while loading. */
  void replay(Frames.Update update, ChangeSet change) {
    text = change.apply(text);
    version++;
    recent.add(update);
  }

  /** Updates after {@code fromVersion}, or null if they are older than memory holds. */
  List<Frames.Update> since(int fromVersion) {
    if (fromVersion < recentFrom || fromVersion > version) {
      return null;
    }
    return List.copyOf(recent.subList(fromVersion - recentFrom, recent.size()));
  }
}
