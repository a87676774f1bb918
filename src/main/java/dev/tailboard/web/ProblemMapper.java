package dev.tailboard.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tailboard.support.ProblemException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every exception that leaves a resource into problem+json, so clients see one error format
 * whether the error came from our code, from Jersey (unknown route, wrong method) or from JSON
 * parsing.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

  @Override
  public Response toResponse(Throwable error) {
    if (error instanceof ProblemException problem) {
      return problem.toResponse();
    }
    if (error instanceof WebApplicationException web) {
      Response original = web.getResponse();
      if (original.getStatus() < 400) {
        return original;
      }
      return ProblemException.response(original.getStatusInfo(), web.getMessage());
    }
    Throwable cause = rootJsonCause(error);
    if (cause != null) {
      return ProblemException.badRequest(
              "Malformed JSON: " + cause.getMessage().lines().findFirst().orElse(""))
          .toResponse();
    }
    if (BrokenBody.isCause(error)) {
      LOG.log(Level.FINE, "Unreadable request body", error);
      return ProblemException.badRequest(BrokenBody.DETAIL).toResponse();
    }
    LOG.log(Level.SEVERE, "Unhandled error", error);
    return new ProblemException(500, "Internal server error", "The server failed; see its log.")
        .toResponse();
  }

  private static Throwable rootJsonCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException) {
        return t;
      }
      if (!(t instanceof ProcessingException) && t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
