package dev.tailboard.store;

/**
 * A page of the build list: newest first, optionally by project, status and ref (each exact), ids
 * below before.
 */
public record BuildFilter(String project, String status, int limit, Long before, String ref) {

  public BuildFilter(String project, String status, int limit, Long before) {
    this(project, status, limit, before, null);
  }
}
