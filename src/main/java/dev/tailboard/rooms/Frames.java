package dev.tailboard.rooms;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.List;
import java.util.Map;

/** The server → client frames of the room protocol (docs/protocol.md), one record each. */
public final class Frames {

  private Frames() {}

  /**
   * A room member: {@code id} is public (every member sees it) and random, {@code name} the subject
   * of its token, or, for an anonymous member where {@code auth.anonymousRooms} allows one, the
   * name it gave, with {@code unverified} true.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Member(String id, String name, String color, Boolean unverified) {
    public Member(String id, String name, String color) {
      this(id, name, color, null);
    }
  }

  /** A shared document's state in {@code welcome}. */
  public record DocState(int version, String text) {}

  /**
   * {@code resume} is the member's secret for {@code hello.resume}, sent to it alone; a watcher
   * (who may not write) has {@code you} null and no {@code resume}.
   */
  public record Welcome(
      String type,
      @JsonInclude(JsonInclude.Include.NON_NULL) String resume,
      Member you,
      List<Member> members,
      long seq,
      @JsonRawValue String chat,
      Map<String, DocState> docs) {
    /** {@code chatFrames}: the stored chat frames, oldest first, as JSON. */
    public Welcome(
        String resume,
        Member you,
        List<Member> members,
        long seq,
        List<String> chatFrames,
        Map<String, DocState> docs) {
      this("welcome", resume, you, members, seq, "[" + String.join(",", chatFrames) + "]", docs);
    }
  }

  public record Presence(String type, String event, Member member) {
    public Presence(String event, Member member) {
      this("presence", event, member);
    }
  }

  public record Chat(String type, long seq, String id, Member from, String text, String ts) {
    public Chat(long seq, String id, Member from, String text, String ts) {
      this("chat", seq, id, from, text, ts);
    }
  }

  public record Ack(String type, String id, long seq) {
    public Ack(String id, long seq) {
      this("ack", id, seq);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Point(String type, Member from, long line, Long build) {
    public Point(Member from, long line, Long build) {
      this("point", from, line, build);
    }
  }

  public record Cursor(String type, Member from, String doc, int anchor, int head) {
    public Cursor(Member from, String doc, int anchor, int head) {
      this("cursor", from, doc, anchor, head);
    }
  }

  /** One collab update as {@code @codemirror/collab} sends it; changes is ChangeSet JSON. */
  public record Update(String clientID, @JsonRawValue String changes) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DocUpdates(String type, String doc, int version, List<Update> updates, Long seq) {
    public DocUpdates(String doc, int version, List<Update> updates, Long seq) {
      this("doc.updates", doc, version, updates, seq);
    }
  }

  public record DocReject(String type, String doc, int version) {
    public DocReject(String doc, int version) {
      this("doc.reject", doc, version);
    }
  }

  /** The whole text, for a client older than the document's snapshot. */
  public record DocSnapshot(String type, String doc, int version, String text) {
    public DocSnapshot(String doc, int version, String text) {
      this("doc.snapshot", doc, version, text);
    }
  }

  public record BuildEvent(String type, String event, @JsonRawValue String data) {
    public BuildEvent(String event, String data) {
      this("build", event, data);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Error(String type, String code, String message, String ref) {
    public Error(String code, String message, String ref) {
      this("error", code, message, ref);
    }
  }

  public record Pong(String type) {
    public Pong() {
      this("pong");
    }
  }
}
