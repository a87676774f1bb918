package dev.tailboard.builds;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.hub.EventHub;
import dev.tailboard.store.Annotation;
import dev.tailboard.store.AnnotationCounts;
import dev.tailboard.store.BodyMismatchException;
import dev.tailboard.store.Build;
import dev.tailboard.store.BuildStatus;
import dev.tailboard.store.ChunkSeq;
import dev.tailboard.store.EventStore;
import dev.tailboard.store.LogChunk;
import dev.tailboard.store.Mutation;
import dev.tailboard.store.NewBuild;
import dev.tailboard.store.Outcome;
import dev.tailboard.store.Rewritten;
import dev.tailboard.store.Step;
import dev.tailboard.store.StoredEvent;
import dev.tailboard.support.Json;
import dev.tailboard.support.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The rules of a build's life: what a log append, a step or a status change turns into, as events
 * published through the {@link EventHub}.
 */
@ApplicationScoped
public class BuildService {

  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

  /** "." and ".." segments are refused: they read as paths in URLs and globs. */
  private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.{1,2}(/|$)");

  /** Log events stay well under the store's largest string and keep SSE frames modest. */
  private static final int MAX_EVENT_CHARS = 256 * 1024;

  @Inject EventHub hub;
  @Inject EventStore store;
  @Inject Json json;
  @Inject Config config;
  @Inject BuildMasks masks;

  /** Now, to the millisecond the store keeps, so a summary reads the same before and after. */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
  }

  public static String validProject(String project) {
    if (project == null
        || project.length() > 200
        || !PROJECT.matcher(project).matches()
        || DOT_SEGMENT.matcher(project).find()) {
      throw ProblemException.badRequest(
          "project must match [A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*, have no . or .. segment and"
              + " at most 200 characters");
    }
    return project;
  }

  /**
   * Checks a new build's fields: the title is a name ({@code builds.maxNameChars}); every field
   * also fits its column in the store.
   */
  public NewBuild validNew(NewBuild b) {
    validProject(b.project());
    validName("title", b.title());
    limit("title", b.title(), 1000);
    limit("ref", b.ref(), 1000);
    limit("commit", b.commit(), 200);
    limit("url", b.url(), 2000);
    return new NewBuild(
        b.project(),
        withoutNul(b.title()),
        withoutNul(b.ref()),
        withoutNul(b.commit()),
        withoutNul(b.url()));
  }

  /**
   * {@code text} with each NUL as U+FFFD: PostgreSQL cannot store NUL in a text column, and a build
   * must read the same from every store (log lines are stored JSON-escaped and keep theirs).
   */
  private static String withoutNul(String text) {
    return text == null ? null : text.replace('\0', '\uFFFD');
  }

  /**
   * A build title or step name (null allowed) of at most {@code builds.maxNameChars} characters
   * (code points): names are shown in lists and stored in every build summary, so they stay short.
   *
   * @throws ProblemException 400 naming the setting
   */
  public String validName(String field, String value) {
    int max = config.integer(Setting.BUILDS_MAX_NAME_CHARS);
    if (value != null && value.codePointCount(0, value.length()) > max) {
      throw ProblemException.badRequest(
          field + " may have at most " + max + " characters (builds.maxNameChars)");
    }
    return value;
  }

  private static void limit(String field, String value, int max) {
    if (value != null && value.length() > max) {
      throw ProblemException.badRequest(field + " may have at most " + max + " characters");
    }
  }

  /**
   * The event id to replay after so that a stream starts with the event holding the last {@code
   * tail} lines of {@code build} (0: from the start).
   */
  public long afterIdForTail(Build build, int tail) {
    long firstLine = Math.max(1, build.lineCount() - tail + 1);
    return store.readLogEvents(build.id(), firstLine, firstLine, 1, Long.MAX_VALUE).stream()
        .mapToLong(e -> e.id() - 1)
        .findFirst()
        .orElse(0);
  }

  public Build find(long id) {
    return store.findBuild(id).orElseThrow(() -> notFound(id));
  }

  public static ProblemException notFound(long id) {
    return ProblemException.notFound("No build " + id);
  }

  /**
   * Creates a build, or with an {@code idempotencyKey} used before in the project returns the build
   * made then (announced on the feed only the first time).
   *
   * @throws ProblemException 422 if the key was first used with another body
   */
  public Build create(NewBuild body, String idempotencyKey) {
    try {
      return hub.create(body, idempotencyKey, BodyFingerprint.of(body)).build();
    } catch (BodyMismatchException e) {
      throw differentBody(e, "a new build needs a new key");
    }
  }

  private static ProblemException differentBody(BodyMismatchException e, String advice) {
    return ProblemException.unprocessable(
        e.used() + ": this request's body differs from the first request's (" + advice + ")");
  }

  /**
   * Appends lines; a chunk {@code seq} already stored gets its first reply back, if its body
   * (lines, step and stream) is the one stored then; another body is refused (422) and nothing is
   * appended. Lines past {@code log.maxLinesPerBuild} or {@code log.maxBytesPerBuild} are refused
   * and the reply says so ({@code truncated}, {@code limit}); when none fits, nothing is stored
   * (413).
   */
  public AppendReply appendLog(long id, Long seq, List<String> raw, String step, String stream) {
    validName("step", step);
    int maxBytes = config.integer(Setting.LOG_MAX_LINE_BYTES);
    LogCaps caps =
        new LogCaps(
            config.longNumber(Setting.LOG_MAX_LINES_PER_BUILD),
            config.longNumber(Setting.LOG_MAX_BYTES_PER_BUILD));
    ChunkSeq chunk =
        seq == null ? null : new ChunkSeq(seq, BodyFingerprint.ofChunk(raw, step, stream));
    masks.warm(id);
    BuildMasks.Intake[] taken = new BuildMasks.Intake[1];
    int[] masksBefore = new int[1];
    Outcome outcome =
        publish(
            id,
            chunk,
            build -> {
              Build open = requireOpen(build);
              // masked under the build row's lock, so no value registered meanwhile is missed
              BuildMasks.Intake intake = masks.intake(open, raw);
              taken[0] = intake;
              masksBefore[0] = open.maskCount();
              // split after masking: a value is never cut in two by the split
              List<String> lines = LogLines.splitAll(intake.lines(), maxBytes);
              Build counted = open.withMoreMasks(intake.added().size());
              LogCaps.Fit fit = caps.fit(counted, lines);
              Mutation m = logMutation(counted, lines.subList(0, fit.lines()), step, stream, fit);
              return new Mutation(
                  m.build(), m.events(), m.reply(), masks.seal(intake.added()), m.annotations());
            });
    if (outcome.mutation() != null && !taken[0].added().isEmpty()) {
      registered(id, masksBefore[0] + taken[0].added().size(), taken[0]);
    }
    return json.read(outcome.reply(), AppendReply.class);
  }

  /**
   * Registers secret values for a build, running or finished: from then on its appends are masked
   * with them, what is stored already is rewritten, and subscribers that may have been sent a value
   * get a {@code mask} event naming the lines to fetch again.
   */
  public MaskReply registerMasks(long id, List<String> values) {
    BuildMasks.Intake[] taken = new BuildMasks.Intake[1];
    int[] count = new int[1];
    publish(
        id,
        null,
        build -> {
          var masker = masks.forBuild(build);
          List<String> added = masks.fresh(build, masker, values);
          taken[0] = new BuildMasks.Intake(List.of(), added, masker.plus(added));
          Build updated = build.withMoreMasks(added.size());
          if (!added.isEmpty() && build.firstError() != null) {
            // the summary is no stored log line: masked here, under the row lock
            updated = updated.withFirstError(taken[0].masker().mask(build.firstError()));
          }
          count[0] = updated.maskCount();
          return new Mutation(updated, List.of(), json.write(updated), masks.seal(added));
        });
    if (taken[0].added().isEmpty()) {
      return new MaskReply(0, count[0], 0);
    }
    return new MaskReply(taken[0].added().size(), count[0], registered(id, count[0], taken[0]));
  }

  /** After a registration committed: masks the stored log, then tells the subscribers. */
  private long registered(long id, int count, BuildMasks.Intake intake) {
    masks.remember(id, count, intake.masker());
    Rewritten rewritten = masks.rewrite(id, intake.masker());
    if (rewritten.events() > 0) {
      MaskEvent event =
          new MaskEvent(intake.added().size(), rewritten.firstLine(), rewritten.lastLine());
      publish(id, null, build -> maskMutation(build, event));
    }
    return rewritten.events();
  }

  private Mutation maskMutation(Build build, MaskEvent event) {
    Events events = new Events(build);
    events.add("mask", json.write(event), 0, 0);
    Build updated =
        build.withProgress(
            build.status(),
            build.steps(),
            build.lineCount(),
            events.lastId(),
            build.startedAt(),
            build.finishedAt());
    return new Mutation(updated, events.list, json.write(event));
  }

  public Build step(long id, String name, String status) {
    if (name == null || name.isBlank()) {
      throw ProblemException.badRequest("step name is required");
    }
    validName("step name", name);
    if (status == null) {
      throw ProblemException.badRequest("step status is required");
    }
    String normalized = "started".equals(status) ? BuildStatus.RUNNING : status;
    if (!BuildStatus.RUNNING.equals(normalized)
        && !BuildStatus.STEP_TERMINAL.contains(normalized)) {
      throw ProblemException.badRequest(
          "step status must be running (or started), passed, failed, skipped, canceled or"
              + " errored");
    }
    int maxSteps = config.integer(Setting.BUILDS_MAX_STEPS);
    return publish(id, null, build -> stepMutation(requireOpen(build), name, normalized, maxSteps))
        .mutation()
        .build();
  }

  public Build status(long id, String status) {
    if (status == null) {
      throw ProblemException.badRequest("status is required");
    }
    if (!BuildStatus.RUNNING.equals(status) && !BuildStatus.isTerminal(status)) {
      throw ProblemException.badRequest(
          "status must be running, passed, failed, canceled or errored");
    }
    return publish(id, null, build -> statusMutation(requireOpen(build), status))
        .mutation()
        .build();
  }

  private Outcome publish(long id, ChunkSeq chunk, Function<Build, Mutation> change) {
    try {
      return hub.publish(id, chunk, change);
    } catch (NoSuchElementException e) {
      throw notFound(id);
    } catch (BodyMismatchException e) {
      throw differentBody(e, "a retry resends the same chunk; new lines take the next seq");
    }
  }

  private static Build requireOpen(Build build) {
    if (build.finished()) {
      throw ProblemException.conflict(
          "Build " + build.id() + " is finished (" + build.status() + ")");
    }
    return build;
  }

  private Mutation logMutation(
      Build build, List<String> lines, String step, String stream, LogCaps.Fit fit) {
    Events events = new Events(build);
    Build current = events.start(build);
    long next = current.lineCount() + 1;
    String ts = now();
    int from = 0;
    long errorCount = 0;
    long firstError = 0;
    String firstErrorText = null;
    AnnotationCounts counts = current.annotations();
    List<Annotation> annotations = new ArrayList<>();
    while (from < lines.size()) {
      int to = from;
      int chars = 0;
      while (to < lines.size()
          && (to == from || chars + lines.get(to).length() <= MAX_EVENT_CHARS)) {
        chars += lines.get(to).length() + 8;
        to++;
      }
      List<String> part = lines.subList(from, to);
      long first = next + from;
      List<Integer> errors = ErrorLines.indexes(part);
      if (!errors.isEmpty() && firstError == 0) {
        firstError = first + errors.get(0);
        firstErrorText = errorText(part.get(errors.get(0)));
      }
      errorCount += errors.size();
      events.add(
          "log",
          json.write(new LogChunk(first, List.copyOf(part), step, stream, ts, errors)),
          first,
          first + part.size() - 1);
      // each annotation follows the log event holding its line, so its link lands on a line
      for (int i = 0; i < part.size(); i++) {
        Annotation a = WorkflowCommands.annotation(part.get(i), first + i);
        if (a != null) {
          annotations.add(a);
          counts = counts.plus(a.level());
          events.add("annotation", json.write(a), 0, 0);
        }
      }
      from = to;
    }
    long count = current.lineCount() + lines.size();
    Build updated =
        current
            .withProgress(
                current.status(),
                current.steps(),
                count,
                events.lastId(),
                current.startedAt(),
                current.finishedAt())
            .withMoreLogBytes(fit.bytes())
            .withErrors(errorCount, firstError, firstErrorText, counts);
    AppendReply reply =
        new AppendReply(next, count, events.lastId(), fit.truncated() ? true : null, fit.limit());
    return new Mutation(updated, events.list, json.write(reply), List.of(), annotations);
  }

  /**
   * The text of an error line as a build summary shows it: as a terminal shows it, at most {@link
   * Build#FIRST_ERROR_CHARS} characters (never half a character), with no NUL or lone surrogate,
   * which PostgreSQL cannot store in a text column.
   */
  static String errorText(String line) {
    String shown = TerminalText.shown(line).strip();
    StringBuilder text = new StringBuilder();
    int i = 0;
    while (i < shown.length() && text.length() < Build.FIRST_ERROR_CHARS) {
      int cp = shown.codePointAt(i);
      int size = Character.charCount(cp);
      if (text.length() + size > Build.FIRST_ERROR_CHARS) {
        break;
      }
      boolean bad = cp == 0 || (size == 1 && Character.isSurrogate((char) cp));
      text.appendCodePoint(bad ? 0xFFFD : cp);
      i += size;
    }
    return text.toString();
  }

  /**
   * Starts or finishes a step. A start, or the finish of a step that was never started, adds a step
   * to the build; past {@code maxSteps} that is refused (413, as a full log is), while finishing an
   * open step always works.
   */
  private Mutation stepMutation(Build build, String name, String status, int maxSteps) {
    Events events = new Events(build);
    Build current = events.start(build);
    String now = now();
    long line = current.lineCount() + 1;
    List<Step> steps = new ArrayList<>(current.steps());
    int open = -1;
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).name().equals(name) && BuildStatus.RUNNING.equals(steps.get(i).status())) {
        open = i;
        break;
      }
    }
    boolean adds = BuildStatus.RUNNING.equals(status) || open < 0;
    if (adds && steps.size() >= maxSteps) {
      throw ProblemException.tooLarge(
          "Build "
              + build.id()
              + " has builds.maxSteps ("
              + maxSteps
              + ") steps: open steps may still finish, no new step is added");
    }
    if (BuildStatus.RUNNING.equals(status)) {
      steps.add(new Step(name, status, line, now, null));
    } else if (open >= 0) {
      Step s = steps.get(open);
      steps.set(open, new Step(name, status, s.line(), s.startedAt(), now));
    } else {
      steps.add(new Step(name, status, line, now, now));
    }
    events.add("step", json.write(new StepChange(name, status, line, now)), 0, 0);
    Build updated =
        current.withProgress(
            current.status(),
            List.copyOf(steps),
            current.lineCount(),
            events.lastId(),
            current.startedAt(),
            current.finishedAt());
    return new Mutation(updated, events.list, json.write(updated));
  }

  private Mutation statusMutation(Build build, String status) {
    Events events = new Events(build);
    if (BuildStatus.RUNNING.equals(status)) {
      Build started = events.start(build);
      return new Mutation(started, events.list, json.write(started));
    }
    String now = now();
    events.add("status", json.write(new StatusChange(status, now)), 0, 0);
    Build updated =
        build.withProgress(
            status,
            build.steps(),
            build.lineCount(),
            events.lastId(),
            build.startedAt() == null ? now : build.startedAt(),
            now);
    return new Mutation(updated, events.list, json.write(updated));
  }

  /** Numbers the events of one mutation from the build's last id. */
  private final class Events {
    final List<StoredEvent> list = new ArrayList<>();
    final long buildId;
    long lastId;

    Events(Build build) {
      this.buildId = build.id();
      this.lastId = build.lastEventId();
    }

    void add(String type, String data, long firstLine, long lastLine) {
      list.add(new StoredEvent(buildId, ++lastId, type, data, firstLine, lastLine));
    }

    long lastId() {
      return lastId;
    }

    /** A queued build starts running with its first log line, step or explicit status. */
    Build start(Build build) {
      if (!BuildStatus.QUEUED.equals(build.status())) {
        return build;
      }
      String now = now();
      add("status", json.write(new StatusChange(BuildStatus.RUNNING, now)), 0, 0);
      return build.withProgress(
          BuildStatus.RUNNING, build.steps(), build.lineCount(), lastId, now, build.finishedAt());
    }
  }
}
