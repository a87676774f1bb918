package dev.tailboard.web;

import dev.tailboard.hub.EventHub;
import dev.tailboard.room.RoomService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Creates the long-lived services when the application starts rather than on the first request that
 * needs them, so their threads run, their meters show in {@code /api/metrics} and a broken database
 * fails the deploy instead of a request.
 */
@ApplicationScoped
public class Startup {

  @Inject EventHub hub;
  @Inject RoomService rooms;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
    // a call through each client proxy creates the bean behind it
    hub.subscriberCount();
    rooms.connectionCount();
  }
}
