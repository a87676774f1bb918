package dev.tailboard.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;

/**
 * A CodeMirror 6 change set, read from and written to the JSON form of {@code ChangeSet.toJSON()}
 * in {@code @codemirror/state}, so that the server can apply the updates that {@code
 * @codemirror/collab} clients send, in the order it accepts them (the server never rebases: a
 * client whose version is behind pulls and rebases itself).
 *
 * <p>The JSON form is an array of sections, read left to right over the document:
 *
 * <ul>
 *   <li>a number {@code n} keeps the next {@code n} characters;
 *   <li>{@code [n]} deletes the next {@code n} characters;
 *   <li>{@code [n, "line1", "line2", ...]} replaces the next {@code n} characters (none when
 *       {@code n} is 0, a pure insertion) with the lines joined by {@code "\n"}.
 * </ul>
 *
 * <p>Lengths and positions count UTF-16 code units, as {@link String#length()} does, so a change
 * may fall between the two halves of a surrogate pair, exactly as in CodeMirror.
 *
 * <p>Reading is stricter than CodeMirror's {@code fromJSON}, which takes any JavaScript number:
 * here every length must be a non-negative integer, the sums must fit an {@code int}, and an
 * inserted line must not contain {@code "\n"} (CodeMirror would build a corrupt document from it).
 * As in CodeMirror, sections are kept as they come (adjacent or empty sections are not merged), so
 * {@link #toJson()} gives back the JSON that was read, except that an insertion of one empty line
 * {@code [n, ""]} is written as the deletion {@code [n]} it amounts to.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ChangeSet {

  /** Per section: how many characters of the old document it covers. */
  private final int[] lengths;

  /** Per section: {@code null} when kept, otherwise the replacement (lines joined by "\n"). */
  private final String[] inserts;

  private final int length;
  private final int newLength;

  private ChangeSet(int[] lengths, String[] inserts, int length, int newLength) {
    this.lengths = lengths;
    this.inserts = inserts;
    this.length = length;
    this.newLength = newLength;
  }

  /**
   * Reads the JSON form of a change set.
   *
   * @throws InvalidChangeException when {@code json} is not an array of sections as described above
   */
  public static ChangeSet fromJson(JsonNode json) {
    if (json == null || !json.isArray()) {
      throw new InvalidChangeException("changes must be a JSON array");
    }
    int count = json.size();
    int[] lengths = new int[count];
    String[] inserts = new String[count];
    long length = 0;
    long newLength = 0;
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      JsonNode section = json.get(i);
      int covered;
      if (section.isNumber()) {
        covered = count(section, i, false);
        newLength += covered;
      } else if (section.isArray()) {
        if (section.isEmpty()) {
          throw new InvalidChangeException("changes[" + i + "] must not be an empty array");
        }
        covered = count(section.get(0), i, true);
        text.setLength(0);
        for (int j = 1; j < section.size(); j++) {
          JsonNode line = section.get(j);
          if (!line.isTextual()) {
            throw new InvalidChangeException(
                "changes[" + i + "][" + j + "] must be a string (an inserted line)");
          }
          String value = line.textValue();
          if (value.indexOf('\n') >= 0) {
            throw new InvalidChangeException(
                "changes[" + i + "][" + j + "] must not contain a line break");
          }
          if (value.indexOf('\0') >= 0) {
            // PostgreSQL cannot store NUL in text: a snapshot holding one would fail the room
            throw new InvalidChangeException(
                "changes[" + i + "][" + j + "] must not contain a NUL character");
          }
          if (j > 1) {
            text.append('\n');
          }
          text.append(value);
        }
        inserts[i] = text.toString();
        newLength += inserts[i].length();
      } else {
        throw new InvalidChangeException(
            "changes[" + i + "] must be a number or an array, not " + section.getNodeType());
      }
      lengths[i] = covered;
      length += covered;
      if (length > Integer.MAX_VALUE || newLength > Integer.MAX_VALUE) {
        throw new InvalidChangeException("changes are for a document longer than the maximum");
      }
    }
    return new ChangeSet(lengths, inserts, (int) length, (int) newLength);
  }

  private static int count(JsonNode number, int section, boolean first) {
    String problem = null;
    if (!number.isNumber()) {
      problem = " must be a number, not " + number.getNodeType();
    } else if (!number.isIntegralNumber()) {
      problem = " must be a whole number, not " + number;
    } else if (!number.canConvertToInt()) {
      problem = " is out of range: " + number;
    } else if (number.intValue() < 0) {
      problem = " must not be negative: " + number;
    }
    if (problem != null) {
      throw new InvalidChangeException("changes[" + section + "]" + (first ? "[0]" : "") + problem);
    }
    return number.intValue();
  }

  /** The length of the document these changes apply to (kept plus deleted or replaced). */
  public int length() {
    return length;
  }

  /** The length of the document after the changes. */
  public int newLength() {
    return newLength;
  }

  /**
   * Applies the changes to {@code doc}, whose line breaks are {@code "\n"}.
   *
   * @throws InvalidChangeException when the document's length is not {@link #length()}
   */
  public String apply(String doc) {
    if (doc.length() != length) {
      throw new InvalidChangeException(
          "changes do not fit the document: they are for length "
              + length
              + ", the document has "
              + doc.length());
    }
    StringBuilder out = new StringBuilder(newLength);
    int pos = 0;
    for (int i = 0; i < lengths.length; i++) {
      int end = pos + lengths[i];
      String insert = inserts[i];
      if (insert == null) {
        out.append(doc, pos, end);
      } else {
        out.append(insert);
      }
      pos = end;
    }
    return out.toString();
  }

  /** The JSON form, as {@code ChangeSet.toJSON()} would write it. Each call builds a new tree. */
  public JsonNode toJson() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    ArrayNode json = nodes.arrayNode(lengths.length);
    for (int i = 0; i < lengths.length; i++) {
      String insert = inserts[i];
      if (insert == null) {
        json.add(lengths[i]);
        continue;
      }
      ArrayNode section = json.addArray().add(lengths[i]);
      if (insert.isEmpty()) {
        continue;
      }
      int start = 0;
      for (int nl = insert.indexOf('\n'); nl >= 0; nl = insert.indexOf('\n', start)) {
        section.add(insert.substring(start, nl));
        start = nl + 1;
      }
      section.add(insert.substring(start));
    }
    return json;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChangeSet that
        && Arrays.equals(lengths, that.lengths)
        && Arrays.equals(inserts, that.inserts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(lengths) + Arrays.hashCode(inserts);
  }

  /** The JSON form, for logs. It contains the inserted text. */
  @Override
  public String toString() {
    return toJson().toString();
  }
}
