package dev.tailboard.web;

import dev.tailboard.auth.FirstStartNotice;
import dev.tailboard.config.Config;
import dev.tailboard.hub.EventHub;
import dev.tailboard.rooms.RoomService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Creates the long-lived services when the application starts rather than on the first request that
 * needs them, so their threads run, their meters show in {@code /api/metrics} and a broken database
 * fails the deploy instead of a request. Then logs where the server is and where its data lives.
 */
@ApplicationScoped
public class Startup {

  private static final Logger LOG = Logger.getLogger(Startup.class.getName());

  @Inject EventHub hub;
  @Inject RoomService rooms;
  @Inject Config config;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
    // a call through each client proxy creates the bean behind it
    hub.subscriberCount();
    rooms.connectionCount();
    LOG.info(
        "Tailboard serves "
            + FirstStartNotice.baseUrl(config)
            + "/ with its data in "
            + config.dataDir().toAbsolutePath());
  }
}
