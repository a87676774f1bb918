package dev.tailboard.hub;

/**
 * What a subscription follows: one build's events ({@link OfBuild}), or the feed of every build's
 * summary ({@link Feed}, {@code /api/events}). Only a build's topic has stored events to replay and
 * a position in the cluster; the feed is live only.
 */
public sealed interface Topic {

  /** The topic of build {@code buildId}'s events. */
  static OfBuild build(long buildId) {
    return new OfBuild(buildId);
  }

  /** The global feed of build summaries. */
  static Feed feed() {
    return Feed.ALL_BUILDS;
  }

  /** One build's events. */
  record OfBuild(long buildId) implements Topic {}

  /**
   * The global feed: a summary of each build whenever it is created or its status or steps change.
   */
  enum Feed implements Topic {
    ALL_BUILDS
  }
}
