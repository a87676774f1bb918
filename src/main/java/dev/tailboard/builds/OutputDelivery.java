package dev.tailboard.builds;

import dev.tailboard.hub.Delivery;
import dev.tailboard.net.ClientOutput;

/**
 * A delivery whose room and stalls are those of a connection's {@link ClientOutput}; without one (a
 * container where the streaming filter did not run) it always has room and writes block.
 */
abstract class OutputDelivery implements Delivery {

  protected final ClientOutput output;

  OutputDelivery(ClientOutput output) {
    this.output = output;
  }

  @Override
  public boolean ready() {
    return output == null || output.hasRoom();
  }

  @Override
  public boolean whenReady(Runnable resume) {
    return output != null && output.whenRoom(resume);
  }

  @Override
  public long blockedSince() {
    return output == null ? blockingWriteSince() : output.blockedSince();
  }

  /** Without an output: since when a blocking write has been running, or 0. */
  protected long blockingWriteSince() {
    return 0;
  }
}
