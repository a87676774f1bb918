package dev.tailboard.support;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** Thrown anywhere in a request to answer with a problem+json of the given status. */
public class ProblemException extends WebApplicationException {

  private final transient Problem problem;

  public ProblemException(int status, String title, String detail) {
    super(detail, status);
    this.problem = new Problem(typeFor(status), title, status, detail);
  }

  public Problem problem() {
    return problem;
  }

  /** The problem type URI of an HTTP status. */
  public static String typeFor(int status) {
    return "https://tailboard.dev/problems/" + status;
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad request", detail);
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "Unauthorized", detail);
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "Forbidden", detail);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "Not found", detail);
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "Conflict", detail);
  }

  public static ProblemException tooLarge(String detail) {
    return new ProblemException(413, "Payload too large", detail);
  }

  public static ProblemException unprocessable(String detail) {
    return new ProblemException(422, "Unprocessable content", detail);
  }

  /** The problem as a response, for code that answers without throwing. */
  public Response toResponse() {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }

  /** Any status as a problem response. */
  public static Response response(Response.StatusType status, String detail) {
    return new ProblemException(status.getStatusCode(), status.getReasonPhrase(), detail)
        .toResponse();
  }
}
