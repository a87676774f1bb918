package dev.tailboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tailboard.testing.RawHttp;
import dev.tailboard.testing.RawHttp.Answer;
import org.junit.jupiter.api.Test;

/**
 * Errors the container raises itself, not JAX-RS: never a stack trace; problem+json under {@code
 * /api} wherever the application gets to answer; a short text page elsewhere. Over a raw socket,
 * since these requests are the malformed ones.
 */
class ContainerErrorsIT {

  @Test
  void aMalformedChunkedBodyOnTheApiIsA400Problem() {
    RawHttp.postMalformedChunk("/api/builds").assertProblem(400);
  }

  @Test
  void aBodyEndingBeforeItsContentLengthOnTheApiIsA400Problem() {
    Answer a =
        RawHttp.sendAndEnd(
            "POST /api/builds HTTP/1.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100",
            "{\"project\":");
    assertThat(a.status()).as("%s", a).isEqualTo(400);
    a.assertNoStackTrace();
  }

  @Test
  void errorsOfTheServletLayerOutsideTheApiAreShortTextPages() {
    Answer missing = RawHttp.send("GET /no-such-file.html HTTP/1.1", "");
    assertThat(missing.status()).as("%s", missing).isEqualTo(404);
    assertThat(missing.header("Content-Type")).as("%s", missing).startsWith("text/plain");
    assertThat(missing.body()).startsWith("Not Found");
    missing.assertNoStackTrace();

    // POST: Jetty writes an error page for GET, POST and HEAD only; other methods get an empty body
    Answer wrongMethod = RawHttp.send("POST /builds/1 HTTP/1.1\r\nContent-Length: 0", "");
    assertThat(wrongMethod.status()).as("%s", wrongMethod).isEqualTo(405);
    assertThat(wrongMethod.header("Content-Type")).as("%s", wrongMethod).startsWith("text/plain");
    wrongMethod.assertNoStackTrace();
  }

  @Test
  void theErrorPageAskedForDirectlyIsNotThere() {
    Answer a = RawHttp.send("GET " + ErrorPageServlet.PATH + " HTTP/1.1", "");
    assertThat(a.status()).isEqualTo(404);
    a.assertNoStackTrace();
  }

  /**
   * A malformed request line or headers are refused by the container before it has chosen the
   * application, so no error page of the WAR applies (README, Deploy: container errors): what holds
   * on every container is that the answer is the right 4xx and tells nothing of the server's
   * insides.
   */
  @Test
  void requestsRefusedBeforeTheApplicationCarryNoStackTrace() {
    assertThat(RawHttp.send("GET /api/builds/%zz HTTP/1.1", "").assertNoStackTrace().status())
        .isEqualTo(400);
    assertThat(
            RawHttp.send(
                    "POST /api/builds HTTP/1.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: abc",
                    "{}")
                .assertNoStackTrace()
                .status())
        .isEqualTo(400);
    assertThat(
            RawHttp.send("GET /api/health HTTP/1.1\r\nX-Big: " + "a".repeat(70_000), "")
                .assertNoStackTrace()
                .status())
        .isEqualTo(431);
  }
}
