package dev.tailboard.builds;

import dev.tailboard.auth.Access;
import dev.tailboard.store.Annotation;
import dev.tailboard.store.Build;
import dev.tailboard.store.BuildFilter;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.NewBuild;
import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** Creating, listing and reading builds, and their steps and status. */
@Path("/builds")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class BuildResource {

  @Inject EventStore store;
  @Inject BuildService builds;
  @Inject Access access;
  @Context SecurityContext security;
  @Context UriInfo uri;

  /** The body of a step report. */
  public record StepReport(String name, String status) {}

  /** The body of a status report. */
  public record StatusReport(String status) {}

  /** The body of a secret registration. */
  public record MaskValuesBody(List<String> values) {}

  @POST
  public Response create(NewBuild body, @HeaderParam("Idempotency-Key") String key) {
    if (body == null) {
      throw ProblemException.badRequest("A JSON body with at least 'project' is required");
    }
    NewBuild valid = builds.validNew(body);
    access.requirePublish(security, valid.project());
    if (key != null && (key.isBlank() || key.length() > 200)) {
      throw ProblemException.badRequest("Idempotency-Key must have 1 to 200 characters");
    }
    Build build = builds.create(valid, key);
    return Response.created(uri.getBaseUriBuilder().path("builds/{id}").build(build.id()))
        .entity(build)
        .build();
  }

  @GET
  public List<Build> list(
      @QueryParam("project") String project,
      @QueryParam("status") String status,
      @QueryParam("ref") String ref,
      @QueryParam("limit") Integer limit,
      @QueryParam("before") Long before) {
    int size = limit == null ? 50 : limit;
    if (size < 1 || size > 500) {
      throw ProblemException.badRequest("limit must be between 1 and 500");
    }
    if (project != null) {
      access.requireRead(security, BuildService.validProject(project));
    }
    return store.listBuilds(new BuildFilter(project, status, size, before, ref)).stream()
        .filter(b -> access.mayRead(security, b.project()))
        .toList();
  }

  @GET
  @Path("{id}")
  public Build get(@PathParam("id") long id) {
    Build build = builds.find(id);
    access.requireRead(security, build.project());
    return build;
  }

  /**
   * The build's annotations ({@code ::error}, {@code ::warning}, {@code ::notice} lines), in log
   * order (read scope).
   */
  @GET
  @Path("{id}/annotations")
  public List<Annotation> annotations(@PathParam("id") long id) {
    Build build = builds.find(id);
    access.requireRead(security, build.project());
    return store.annotations(id);
  }

  @POST
  @Path("{id}/steps")
  public Build step(@PathParam("id") long id, StepReport body) {
    if (body == null) {
      throw ProblemException.badRequest("A JSON body {name, status} is required");
    }
    access.requirePublish(security, builds.find(id).project());
    return builds.step(id, body.name(), body.status());
  }

  @POST
  @Path("{id}/status")
  public Build status(@PathParam("id") long id, StatusReport body) {
    if (body == null) {
      throw ProblemException.badRequest("A JSON body {status} is required");
    }
    access.requirePublish(security, builds.find(id).project());
    return builds.status(id, body.status());
  }

  /**
   * Registers secret values ({@code publish} scope): masked in every later line, in what is stored
   * already, and in the build room's chat and notes.
   */
  @POST
  @Path("{id}/masks")
  public MaskReply masks(@PathParam("id") long id, MaskValuesBody body) {
    if (body == null || body.values() == null || body.values().isEmpty()) {
      throw ProblemException.badRequest(
          "A JSON body {values: [\"...\"]} with one value or more is required");
    }
    access.requirePublish(security, builds.find(id).project());
    return builds.registerMasks(id, body.values());
  }
}
