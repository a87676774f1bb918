package dev.tailboard.builds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.auth.Access;
import dev.tailboard.auth.Caller;
import dev.tailboard.config.Config;
import dev.tailboard.hub.Delivery;
import dev.tailboard.store.Build;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildFeedFilterTest {

  private final Json json = new Json();

  private StoredEvent summary(long id, String project) {
    Build b =
        new Build(
            id, project, null, null, null, null, "queued", List.of(), 0, 1, "t", null, null, 0, 0);
    return new StoredEvent(id, 0, "build", json.write(b), 0, 0);
  }

  private static final class Recording implements Delivery {
    final List<Long> sent = new ArrayList<>();

    @Override
    public void send(StoredEvent event) {
      sent.add(event.buildId());
    }

    @Override
    public void heartbeat() {}

    @Override
    public void close() {}
  }

  @Test
  void withoutAnonymousReadTheFeedCarriesOnlyReadableProjects() throws Exception {
    Access access =
        new Access(new Config(name -> null, Map.of("TAILBOARD_AUTH_ANONYMOUSREAD", "false")));
    Caller acme = new Caller("ci", true, false, List.of(), List.of("acme/*"));
    Recording out = new Recording();
    var feed = new VisibleBuilds(out, acme, access, json);
    feed.send(summary(1, "acme/api"));
    feed.send(summary(2, "other/api"));
    feed.send(summary(3, "acme/web"));
    assertThat(out.sent).containsExactly(1L, 3L);
  }

  @Test
  void withAnonymousReadEverythingPasses() throws Exception {
    Access access =
        new Access(new Config(name -> null, Map.of("TAILBOARD_AUTH_ANONYMOUSREAD", "true")));
    Recording out = new Recording();
    var feed = new VisibleBuilds(out, Caller.ANONYMOUS, access, json);
    feed.send(summary(1, "acme/api"));
    feed.send(summary(2, "other/api"));
    assertThat(out.sent).containsExactly(1L, 2L);
  }
}
