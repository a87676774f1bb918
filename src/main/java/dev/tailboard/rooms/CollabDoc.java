package dev.tailboard.rooms;

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

  /**
   * The version and text stored and sent to members. Accepted updates wait for the group commit,
   * and in a cluster another node may have stored that version first, so what is not durable yet
   * may still be undone: newcomers and pulls see only the durable part.
   */
  private int durableVersion;

  private String durableText;

  CollabDoc(int snapshotVersion, String snapshotText) {
    this.version = snapshotVersion;
    this.recentFrom = snapshotVersion;
    this.text = snapshotText;
    this.durableVersion = snapshotVersion;
    this.durableText = snapshotText;
  }

  int durableVersion() {
    return durableVersion;
  }

  String durableText() {
    return durableText;
  }

  /** The store kept the updates up to {@code version}, after which the text is {@code text}. */
  void durable(int version, String text) {
    if (version > durableVersion) {
      durableVersion = version;
      durableText = text;
    }
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

  /** Applies a stored update (loading, or another node's): durable at once. */
  void replay(Frames.Update update, ChangeSet change) {
    commit(List.of(update), change.apply(text));
    durable(version, text);
  }

  /**
   * Updates from {@code fromVersion} up to {@code upTo} (at most {@link #version}), or null if they
   * are older than memory holds.
   */
  List<Frames.Update> since(int fromVersion, int upTo) {
    if (fromVersion < recentFrom || fromVersion > upTo) {
      return null;
    }
    return List.copyOf(recent.subList(fromVersion - recentFrom, upTo - recentFrom));
  }
}
