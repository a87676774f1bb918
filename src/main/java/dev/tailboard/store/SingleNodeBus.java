package dev.tailboard.store;

/** The bus of the embedded database: one node, so there is nobody to tell. */
final class SingleNodeBus implements ClusterBus {

  private final String nodeId = NodeIds.next();

  @Override
  public boolean clustered() {
    return false;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public void announce(String channel, long position) {}

  @Override
  public void send(String channel, String payload) {}

  @Override
  public void listen(String prefix, Listener listener) {}
}
