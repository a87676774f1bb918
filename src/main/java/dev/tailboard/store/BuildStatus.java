package dev.tailboard.store;

import java.util.Set;

/** The statuses a build and a step go through, and which of them end it. */
public final class BuildStatus {

  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final Set<String> TERMINAL = Set.of("passed", "failed", "canceled", "errored");

  /** Steps may also be skipped. */
  public static final Set<String> STEP_TERMINAL =
      Set.of("passed", "failed", "canceled", "errored", "skipped");

  private BuildStatus() {}

  public static boolean isTerminal(String status) {
    return TERMINAL.contains(status);
  }
}
