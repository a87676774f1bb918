package dev.tailboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a raw socket, for requests no HTTP client would send (a malformed
 * request line, a bad {@code Content-Length}, a broken chunk): the error answers the container
 * gives them are what the tests look at.
 */
public final class RawHttp {

  private RawHttp() {}

  /**
   * Sends {@code head} (request line and headers, without the blank line; {@code Host} and {@code
   * Connection: close} are added) and {@code body} to the test server, and reads the answer until
   * the server closes the connection.
   */
  public static Answer send(String head, String body) {
    return send(head, body, false);
  }

  /**
   * POSTs a JSON body whose chunk size is no hex number: an error the container's HTTP layer raises
   * while the application reads the body, so the application answers it.
   */
  public static Answer postMalformedChunk(String path) {
    return send(
        "POST "
            + path
            + " HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
        "zz\r\n{}\r\n0\r\n\r\n");
  }

  /**
   * Like {@link #send} and then shuts the socket's sending side, so the server sees the request end
   * there: a body shorter than its {@code Content-Length} ends early rather than waits.
   */
  public static Answer sendAndEnd(String head, String body) {
    return send(head, body, true);
  }

  private static Answer send(String head, String body, boolean end) {
    URI base = URI.create(ItServer.baseUrl());
    String request =
        head
            + "\r\nHost: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\nConnection: close\r\n\r\n"
            + body;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      if (end) {
        socket.shutdownOutput();
      }
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      try {
        socket.getInputStream().transferTo(answer);
      } catch (SocketException reset) {
        // a server that refuses a request may reset the connection once it has answered
      }
      return Answer.parse(answer.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An answer: status, headers as they came, body. */
  public record Answer(int status, String headers, String body) {

    static Answer parse(String raw) {
      int end = raw.indexOf("\r\n\r\n");
      String headers = end < 0 ? raw : raw.substring(0, end);
      String body = end < 0 ? "" : raw.substring(end + 4);
      String[] statusLine = headers.split("\r\n", 2)[0].split(" ");
      int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
      return new Answer(status, headers, body);
    }

    /** The value of a header, or "" when absent. */
    public String header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return headers
          .lines()
          .filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(l -> l.substring(prefix.length()).trim())
          .findFirst()
          .orElse("");
    }

    /** Nothing of the server's insides: no exception, no stack frame. */
    public Answer assertNoStackTrace() {
      assertThat(body)
          .as("body of the answer %s", this)
          .doesNotContain("Exception")
          .doesNotContain("at java.")
          .doesNotContainPattern("\\bat [a-z]+\\.[a-z]+\\.")
          .doesNotContain("<pre>");
      return this;
    }

    /** A problem+json of this status, with every field of the API's one error format. */
    public Answer assertProblem(int expected) {
      assertThat(status).as("status of %s", this).isEqualTo(expected);
      assertThat(header("Content-Type"))
          .as("Content-Type of %s", this)
          .startsWith("application/problem+json");
      JsonNode problem;
      try {
        problem = Api.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
      assertThat(problem.path("type").asText()).isNotBlank();
      assertThat(problem.path("title").asText()).isNotBlank();
      assertThat(problem.path("status").asInt()).isEqualTo(expected);
      assertThat(problem.path("detail").asText()).isNotBlank();
      return assertNoStackTrace();
    }
  }
}
