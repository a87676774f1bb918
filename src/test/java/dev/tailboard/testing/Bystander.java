package dev.tailboard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A well-behaved client beside an attack: it follows one build's SSE stream and is a member of its
 * room, from an address of its own (through a trusted proxy's {@code X-Forwarded-For}). After each
 * attack {@link #check} proves it was served throughout and that nothing stored was harmed.
 */
public final class Bystander implements AutoCloseable {

  private final String base;
  private final Api publisher;
  private final Map<String, String> from;
  private final long build;
  private final SseStream stream;
  private final WsClient member;
  private final List<String> sent = new ArrayList<>();

  /** Starts following a new build of project {@code calm} on the server at {@code base}. */
  public Bystander(String base, String address) {
    this.base = base;
    this.publisher = new Api(base, ItServer.publisher());
    this.from = Map.of("X-Forwarded-For", address);
    this.build = publisher.createBuild("calm");
    this.stream = SseStream.openAt(base + "/api/builds/" + build + "/events", from);
    assertThat(stream.status()).isEqualTo(200);
    Map<String, String> headers = new java.util.HashMap<>(WsClient.as("calm-member"));
    headers.putAll(from);
    this.member = WsClient.connectUrl(wsUrl(base) + "/ws/rooms/build-" + build, headers);
    member.send(Map.of("type", "hello"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !member.of("welcome").isEmpty());
  }

  static String wsUrl(String base) {
    return base.replaceFirst("^http", "ws");
  }

  public long build() {
    return build;
  }

  /**
   * Publishes a line and chats a message named {@code tag}, and asserts that both arrived live,
   * that neither connection was dropped, and that the stored log and chat hold exactly what this
   * bystander sent, in order.
   */
  public void check(String tag) {
    sent.add(tag);
    publisher.append(build, List.of(tag));
    member.send(Map.of("type", "chat", "id", tag, "text", tag));
    await("the bystander's stream carries " + tag)
        .atMost(Duration.ofSeconds(15))
        .until(() -> stream.logLines().contains(tag));
    await("the bystander's chat " + tag + " is acked and relayed")
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                member.has("ack", f -> tag.equals(f.path("id").asText()))
                    && member.has("chat", f -> tag.equals(f.path("text").asText())));
    assertThat(stream.ended).as("the bystander's SSE stream is still open").isFalse();
    assertThat(member.closeCode).as("the bystander's room socket is still open").isNotDone();
    assertThat(stream.logLines()).as("every line, once, in order").isEqualTo(sent);
    String log = publisher.get("/api/builds/" + build + "/log").body();
    assertThat(log.lines().toList()).as("the stored log").isEqualTo(sent);
    assertThat(storedChat(tag)).as("the stored chat").isEqualTo(sent);
  }

  /**
   * The texts this bystander's member has stored in the room, up to {@code last}, as a fresh
   * watcher resuming from the room's first message gets them (others chat in the room too).
   */
  private List<String> storedChat(String last) {
    String me = member.welcome().path("you").path("id").asText();
    WsClient watcher = WsClient.connectUrl(wsUrl(base) + "/ws/rooms/build-" + build, from);
    try {
      watcher.send(Map.of("type", "hello", "resume", Map.of("seq", 0)));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> watcher.has("chat", f -> last.equals(f.path("text").asText())));
      List<String> texts = new ArrayList<>();
      for (JsonNode c : watcher.of("chat")) {
        if (me.equals(c.path("from").path("id").asText(c.path("from").asText()))) {
          texts.add(c.path("text").asText());
        }
      }
      return texts;
    } finally {
      watcher.close();
    }
  }

  @Override
  public void close() {
    stream.close();
    member.close();
  }
}
