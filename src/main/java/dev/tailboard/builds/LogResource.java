package dev.tailboard.builds;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tailboard.auth.Access;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.store.Build;
import dev.tailboard.support.Json;
import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Log ingest ({@code POST}) and the raw log ({@code GET}) of a build. */
@Path("/builds/{id}/log")
@RequestScoped
public class LogResource {

  /** The raw download writes in pieces of about this many characters. */
  private static final int FLUSH_CHARS = 64 * 1024;

  /** The JSON form of a log chunk. */
  public record LogBody(List<String> lines, String step, String stream) {}

  @Inject BuildService builds;
  @Inject BuildMasks masks;
  @Inject Access access;
  @Inject Config config;
  @Inject Json json;
  @Inject LogFlusher flusher;
  @Inject IngestWorkers workers;
  @Inject LogScanner scanner;
  @Context SecurityContext security;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response appendJson(
      @PathParam("id") long id, @QueryParam("seq") Long seq, InputStream body) throws IOException {
    authorize(id);
    // Decoded by hand so invalid UTF-8 becomes U+FFFD instead of failing the whole chunk.
    String text = new String(readBounded(body), StandardCharsets.UTF_8);
    LogBody chunk;
    try {
      chunk = json.mapper().readValue(text, LogBody.class);
    } catch (JsonProcessingException e) {
      throw ProblemException.badRequest(
          "Malformed JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    if (chunk == null || chunk.lines() == null) {
      throw ProblemException.badRequest("A JSON body {lines: [...], step?, stream?} is required");
    }
    if (chunk.stream() != null && !List.of("stdout", "stderr").contains(chunk.stream())) {
      throw ProblemException.badRequest("stream must be stdout or stderr");
    }
    checkChunkSize(chunk.lines().size());
    return answer(builds.appendLog(id, seq, chunk.lines(), chunk.step(), chunk.stream()));
  }

  /**
   * A text/plain body: each line a log line. Without {@code seq} the body is published in batches
   * as it arrives, so {@code cmd | curl -T - URL} streams live; with {@code seq} it is one chunk,
   * stored (and retried) as a whole. Either way the body is read with servlet non-blocking I/O
   * ({@link LogUpload}): a build that is quiet for minutes holds no thread.
   */
  @POST
  @Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  public void appendText(
      @PathParam("id") long id,
      @QueryParam("seq") Long seq,
      @QueryParam("step") String step,
      @Context HttpServletRequest request,
      @Suspended AsyncResponse response)
      throws IOException {
    String type = request.getContentType();
    if (type != null && MediaType.valueOf(type).isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
      // RESTEasy (seen on Open Liberty) may pick this wildcard method for a JSON body, warning
      // RESTEASY002142: answer it as the JSON append it is
      try {
        response.resume(appendJson(id, seq, request.getInputStream()));
      } catch (RuntimeException e) {
        response.resume(e);
      }
      return;
    }
    authorize(id);
    builds.validName("step", step); // before the body streams in, not at its first batch
    // Both Jersey and RESTEasy start the servlet request's async mode before a method with a
    // @Suspended parameter runs, which a ReadListener needs.
    AsyncContext async = request.getAsyncContext();
    LogUpload.Sink sink;
    if (seq != null) {
      int maxBytes = config.integer(Setting.LOG_MAX_BODY_BYTES);
      sink =
          LogUpload.chunk(
              maxBytes,
              lines -> {
                checkChunkSize(lines.size());
                return builds.appendLog(id, seq, lines, step, null);
              });
    } else {
      int maxLine = config.integer(Setting.LOG_MAX_LINE_BYTES);
      StreamingAppend upload = new StreamingAppend(builds, id, step, flusher.executor());
      // a line too long to hold is handed on in pieces, never cut inside a secret: the build's
      // masker as this node knows it at each cut (registered in this upload too, once stored)
      sink =
          LogUpload.streamed(
              upload,
              Math.max(maxLine, 1 << 20),
              (line, max) -> masks.current(id).safeCut(line, max));
    }
    LogUpload.start(
        async,
        response,
        sink,
        flusher.executor(),
        workers.executor(),
        config.integer(Setting.LOG_STREAM_IDLE_SECONDS),
        LogResource::answer);
  }

  /** {@code curl -T - URL} uploads with PUT; it is the same append. */
  @PUT
  @Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM, MediaType.WILDCARD})
  @Produces(MediaType.APPLICATION_JSON)
  public void putText(
      @PathParam("id") long id,
      @QueryParam("seq") Long seq,
      @QueryParam("step") String step,
      @Context HttpServletRequest request,
      @Suspended AsyncResponse response)
      throws IOException {
    appendText(id, seq, step, request, response);
  }

  @GET
  @Produces(MediaType.TEXT_PLAIN + ";charset=utf-8")
  public Response download(
      @PathParam("id") long id, @QueryParam("from") Long from, @QueryParam("to") Long to) {
    Build build = builds.find(id);
    access.requireRead(security, build.project());
    long start = from == null ? 1 : from;
    long end = to == null ? build.lineCount() : Math.min(to, build.lineCount());
    if (start < 1 || end < start - 1) {
      throw ProblemException.badRequest("from must be ≥ 1 and to ≥ from");
    }
    StreamingOutput out = output -> writeLines(id, start, end, output);
    return Response.ok(out)
        .header("Content-Disposition", "inline; filename=\"build-" + id + ".log\"")
        .build();
  }

  private void writeLines(long id, long start, long end, OutputStream output) throws IOException {
    StringBuilder text = new StringBuilder();
    scanner.scan(
        id,
        start,
        end,
        (n, line) -> {
          text.append(line).append('\n');
          if (text.length() >= FLUSH_CHARS) {
            output.write(text.toString().getBytes(StandardCharsets.UTF_8));
            text.setLength(0);
          }
          return true;
        });
    output.write(text.toString().getBytes(StandardCharsets.UTF_8));
    output.flush();
  }

  private void authorize(long id) {
    access.requirePublish(security, builds.find(id).project());
  }

  private void checkChunkSize(int lines) {
    int max = config.integer(Setting.LOG_MAX_CHUNK_LINES);
    if (lines > max) {
      throw ProblemException.tooLarge(
          "A chunk may hold at most " + max + " lines (log.maxChunkLines); send smaller chunks");
    }
  }

  private byte[] readBounded(InputStream body) throws IOException {
    int max = config.integer(Setting.LOG_MAX_BODY_BYTES);
    byte[] bytes = body.readNBytes(max + 1);
    if (bytes.length > max) {
      throw ProblemException.tooLarge(
          "A chunk body may have at most " + max + " bytes (log.maxBodyBytes)");
    }
    return bytes;
  }

  private static Response answer(AppendReply reply) {
    if (reply.wasTruncated()) {
      throw truncated(reply);
    }
    return Response.ok(reply).build();
  }

  static ProblemException truncated(AppendReply r) {
    return ProblemException.tooLarge(
        r.limitName()
            + " reached: kept lines "
            + r.first()
            + " to "
            + r.last()
            + ", refused the rest");
  }
}
