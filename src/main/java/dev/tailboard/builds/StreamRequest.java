package dev.tailboard.builds;

import dev.tailboard.support.ProblemException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One build stream asked for on a shared connection ({@code /api/streams?s=...}): the client's
 * {@code key} for it, the build, and where to start: after an event id (of the database's {@code
 * epoch}, if given), the last {@code tail} lines, or (neither) from the start. Written {@code
 * KEY.BUILD}, {@code KEY.BUILD:AFTER}, {@code KEY.BUILD:EPOCH.AFTER} or {@code KEY.BUILD~TAIL}; the
 * stream's event ids are {@code EPOCH/} and then the positions of every stream of the connection,
 * comma-separated, so a reconnect's Last-Event-ID resumes them all.
 */
public record StreamRequest(String key, long build, String epoch, Long after, Integer tail) {

  private static final Pattern FORM =
      Pattern.compile(
          "([a-z0-9]{1,8})\\.([1-9][0-9]{0,18})"
              + "(?::(?:([0-9a-z]{1,16})\\.)?([0-9]{1,19})|~([1-9][0-9]{0,8}))?");

  /** Parses the {@code s} parameters; a Last-Event-ID's positions replace theirs, key by key. */
  public static Map<String, StreamRequest> parse(List<String> values, String lastEventId) {
    Map<String, StreamRequest> out = new LinkedHashMap<>();
    for (String v : values) {
      StreamRequest r = one(v);
      if (out.put(r.key(), r) != null) {
        throw ProblemException.badRequest("stream key '" + r.key() + "' is given twice");
      }
    }
    if (lastEventId != null && !lastEventId.isBlank()) {
      int slash = lastEventId.indexOf('/');
      String epoch = slash < 0 ? null : lastEventId.substring(0, slash).trim();
      for (String v : lastEventId.substring(slash + 1).split(",")) {
        StreamRequest r = one(v.trim()).inEpoch(epoch);
        if (out.containsKey(r.key()) && r.after() != null) {
          out.put(r.key(), r);
        }
      }
    }
    return out;
  }

  private static StreamRequest one(String value) {
    Matcher m = FORM.matcher(value);
    if (!m.matches()) {
      throw ProblemException.badRequest(
          "a stream is KEY.BUILD, KEY.BUILD:AFTER or KEY.BUILD~TAIL (key [a-z0-9]{1,8}): " + value);
    }
    Long after = m.group(4) == null ? null : Long.valueOf(m.group(4));
    Integer tail = m.group(5) == null ? null : Integer.valueOf(m.group(5));
    return new StreamRequest(m.group(1), Long.parseLong(m.group(2)), m.group(3), after, tail);
  }

  private StreamRequest inEpoch(String given) {
    return given == null ? this : new StreamRequest(key, build, given, after, tail);
  }

  /** Where it starts, as {@link LastEventId} parses it; null from the start. */
  public String resumeFrom() {
    if (after == null) {
      return null;
    }
    return epoch == null ? after.toString() : LastEventId.position(epoch, after);
  }

  /** This stream's position in the id notation. */
  public String position(long afterId) {
    return key + "." + build + ":" + afterId;
  }
}
