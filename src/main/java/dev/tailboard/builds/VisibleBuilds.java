package dev.tailboard.builds;

import dev.tailboard.auth.Access;
import dev.tailboard.auth.Caller;
import dev.tailboard.hub.Delivery;
import dev.tailboard.store.Build;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.Json;
import java.io.IOException;

/** A feed delivery that passes on only the builds its caller may read. */
final class VisibleBuilds implements Delivery {
  private final Delivery delivery;
  private final Caller caller;
  private final Access access;
  private final Json json;

  VisibleBuilds(Delivery delivery, Caller caller, Access access, Json json) {
    this.delivery = delivery;
    this.caller = caller;
    this.access = access;
    this.json = json;
  }

  @Override
  public void send(StoredEvent event) throws IOException {
    // parse the summary only when the answer depends on its project
    if (access.mayRead(caller, "**")
        || access.mayRead(caller, json.read(event.data(), Build.class).project())) {
      delivery.send(event);
    }
  }

  @Override
  public void heartbeat() throws IOException {
    delivery.heartbeat();
  }

  @Override
  public boolean ready() {
    return delivery.ready();
  }

  @Override
  public boolean whenReady(Runnable resume) {
    return delivery.whenReady(resume);
  }

  @Override
  public long blockedSince() {
    return delivery.blockedSince();
  }

  @Override
  public void close() {
    delivery.close();
  }

  @Override
  public void abort() {
    delivery.abort();
  }
}
