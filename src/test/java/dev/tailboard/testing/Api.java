package dev.tailboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A small real HTTP client of the Tailboard API, over the JDK's HttpClient. */
public final class Api {

  public static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String token;
  private final String base;

  public Api(String token) {
    this(null, token);
  }

  /** A client of the server at {@code base} (null: the build's integration-test server). */
  public Api(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** An API client with a publisher token. */
  public static Api publisher() {
    return new Api(ItServer.publisher());
  }

  public HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create((base != null ? base : ItServer.baseUrl()) + path))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path) {
    return send(request(path).GET().build());
  }

  public HttpResponse<String> postJson(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  public HttpResponse<String> postJson(String path, Object body) {
    return postJson(path, write(body));
  }

  public HttpResponse<String> postText(String path, String text) {
    return send(
        request(path)
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(text))
            .build());
  }

  /** Creates a build in a fresh project and returns its id. */
  public long createBuild() {
    return createBuild("it/" + UUID.randomUUID().toString().substring(0, 8));
  }

  public long createBuild(String project) {
    HttpResponse<String> r = postJson("/api/builds", "{\"project\":\"" + project + "\"}");
    if (r.statusCode() != 201) {
      throw new IllegalStateException("create failed: " + r.statusCode() + " " + r.body());
    }
    return json(r).get("id").asLong();
  }

  /** Appends lines as one JSON chunk and returns the reply. */
  public JsonNode append(long build, List<String> lines) {
    HttpResponse<String> r =
        postJson("/api/builds/" + build + "/log", java.util.Map.of("lines", lines));
    if (r.statusCode() != 200) {
      throw new IllegalStateException("append failed: " + r.statusCode() + " " + r.body());
    }
    return json(r);
  }

  public void status(long build, String status) {
    HttpResponse<String> r =
        postJson("/api/builds/" + build + "/status", "{\"status\":\"" + status + "\"}");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("status failed: " + r.statusCode() + " " + r.body());
    }
  }

  public JsonNode build(long id) {
    return json(get("/api/builds/" + id));
  }

  /** Lines "prefix-from" .. "prefix-(from+count-1)". */
  public static List<String> lines(String prefix, int from, int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(prefix + "-" + (from + i));
    }
    return out;
  }

  public static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(r.body(), e);
    }
  }

  public static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
