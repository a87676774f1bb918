package dev.tailboard.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChangeSetTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static ChangeSet changes(String text) {
    return ChangeSet.fromJson(json(text));
  }

  // --- vectors made by @codemirror/state (src/test/node/changeset-vectors/generate.mjs) ---

  private static List<JsonNode> vectors() throws IOException {
    try (InputStream in =
        ChangeSetTest.class.getResourceAsStream("/codemirror/changeset-vectors.json")) {
      assertThat(in).as("changeset-vectors.json on the classpath").isNotNull();
      List<JsonNode> all = new ArrayList<>();
      MAPPER.readTree(in).forEach(all::add);
      return all;
    }
  }

  private static Stream<Named<JsonNode>> named(boolean errors) throws IOException {
    List<JsonNode> all = vectors();
    List<Named<JsonNode>> picked = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      JsonNode vector = all.get(i);
      if (vector.path("error").asBoolean() == errors) {
        String changes = vector.get("changes").toString();
        if (changes.length() > 60) {
          changes = changes.substring(0, 60) + "…";
        }
        picked.add(Named.of("#" + i + " " + changes, vector));
      }
    }
    return picked.stream();
  }

  static Stream<Named<JsonNode>> validVectors() throws IOException {
    return named(false);
  }

  static Stream<Named<JsonNode>> invalidVectors() throws IOException {
    return named(true);
  }

  @Test
  void vectorsAreThere() throws IOException {
    assertThat(validVectors()).hasSizeGreaterThanOrEqualTo(200);
    assertThat(invalidVectors()).hasSizeGreaterThanOrEqualTo(20);
  }

  @ParameterizedTest
  @MethodSource("validVectors")
  void appliesLikeCodeMirror(JsonNode vector) {
    String doc = vector.get("doc").textValue();
    String result = vector.get("result").textValue();
    ChangeSet changes = ChangeSet.fromJson(vector.get("changes"));

    assertThat(changes.length()).isEqualTo(doc.length());
    assertThat(changes.newLength()).isEqualTo(result.length());
    assertThat(changes.apply(doc)).isEqualTo(result);
    assertThat(changes.toJson()).isEqualTo(vector.get("changes"));
    assertThat(ChangeSet.fromJson(changes.toJson())).isEqualTo(changes);
  }

  @ParameterizedTest
  @MethodSource("invalidVectors")
  void rejectsWhatCodeMirrorRejectsAndMore(JsonNode vector) {
    String doc = vector.get("doc").textValue();
    assertThatThrownBy(() -> ChangeSet.fromJson(vector.get("changes")).apply(doc))
        .isInstanceOf(InvalidChangeException.class);
  }

  // --- readable cases ---

  @Test
  void insertsAtTheStartAndTheEnd() {
    assertThat(changes("[[0, \"> \"], 5]").apply("hello")).isEqualTo("> hello");
    assertThat(changes("[5, [0, \"!\"]]").apply("hello")).isEqualTo("hello!");
    assertThat(changes("[[0, \"a\", \"b\"]]").apply("")).isEqualTo("a\nb");
  }

  @Test
  void deletesEverything() {
    ChangeSet all = changes("[[10]]");
    assertThat(all.length()).isEqualTo(10);
    assertThat(all.newLength()).isZero();
    assertThat(all.apply("two\nlines\n")).isEmpty();
  }

  @Test
  void replacesAcrossALineBreak() {
    // "one\ntwo": replace "e\nt" (3 units from offset 2) with two lines.
    ChangeSet changes = changes("[2, [3, \"E\", \"T\"], 2]");
    assertThat(changes.apply("one\ntwo")).isEqualTo("onE\nTwo");
    assertThat(changes.newLength()).isEqualTo(7);
  }

  @Test
  void countsUtf16UnitsSoASurrogatePairIsTwo() {
    String doc = "a😀b"; // 4 UTF-16 units: a, high, low, b
    assertThat(doc.length()).isEqualTo(4);
    assertThat(changes("[1, [0, \"[\"], 2, [0, \"]\"], 1]").apply(doc)).isEqualTo("a[😀]b");
    assertThat(changes("[3, [1, \"🙂\"]]").apply(doc)).isEqualTo("a😀🙂");
    assertThatThrownBy(() -> changes("[3]").apply(doc))
        .isInstanceOf(InvalidChangeException.class)
        .hasMessageContaining("changes do not fit the document");
  }

  @Test
  void keepsSectionsAsTheyCome() {
    String[] shapes = {"[]", "[0]", "[[0]]", "[1,2]", "[[1],[1],1]", "[[0,\"\",\"\"],[0,\"x\"]]"};
    for (String shape : shapes) {
      assertThat(changes(shape).toJson()).as(shape).isEqualTo(json(shape));
    }
  }

  @Test
  void anEmptyInsertionIsWrittenAsTheDeletionItIs() {
    ChangeSet changes = changes("[1, [2, \"\"]]");
    assertThat(changes.toJson()).isEqualTo(json("[1, [2]]"));
    assertThat(changes).isEqualTo(changes("[1, [2]]"));
    assertThat(changes.apply("abc")).isEqualTo("a");
  }

  @Test
  void toJsonGivesAFreshTreeEachTime() {
    ChangeSet changes = changes("[1, [0, \"x\"]]");
    ((ArrayNode) changes.toJson()).removeAll();
    assertThat(changes.toJson()).isEqualTo(json("[1, [0, \"x\"]]"));
  }

  @Test
  void saysWhatIsWrong() {
    assertRejected("{\"changes\": []}", "must be a JSON array");
    assertRejected("[1, \"2\"]", "changes[1] must be a number or an array");
    assertRejected("[[]]", "changes[0] must not be an empty array");
    assertRejected("[[\"1\", \"x\"]]", "changes[0][0] must be a number");
    assertRejected("[[1, 2]]", "changes[0][1] must be a string");
    assertRejected("[[1, \"x\", null]]", "changes[0][2] must be a string");
    assertRejected("[-1]", "changes[0] must not be negative");
    assertRejected("[[-1, \"x\"]]", "changes[0][0] must not be negative");
    assertRejected("[1.5]", "changes[0] must be a whole number");
    assertRejected("[1.0]", "changes[0] must be a whole number");
    assertRejected("[1e2]", "changes[0] must be a whole number");
    assertRejected("[2147483648]", "changes[0] is out of range");
    assertRejected("[99999999999999999999]", "changes[0] is out of range");
    assertRejected("[2147483647, 1]", "longer than the maximum");
    assertRejected("[[0, \"a\\nb\"]]", "changes[0][1] must not contain a line break");
    assertThatThrownBy(() -> ChangeSet.fromJson(null))
        .isInstanceOf(InvalidChangeException.class)
        .hasMessageContaining("must be a JSON array");
  }

  @Test
  void mismatchedLengthsSayBoth() {
    assertThatThrownBy(() -> changes("[2, [0, \"x\"]]").apply("abc"))
        .isInstanceOf(InvalidChangeException.class)
        .hasMessage("changes do not fit the document: they are for length 2, the document has 3");
  }

  private static void assertRejected(String changes, String message) {
    assertThatThrownBy(() -> changes(changes))
        .as(changes)
        .isInstanceOf(InvalidChangeException.class)
        .hasMessageContaining(message);
  }

  @Test
  void anInsertedNulIsRefusedBecauseNoStoreCouldKeepTheSnapshot() {
    ObjectMapper json = new ObjectMapper();
    JsonNode changes = json.createArrayNode().add(json.createArrayNode().add(0).add("a\0b"));
    assertThatThrownBy(() -> ChangeSet.fromJson(changes))
        .isInstanceOf(InvalidChangeException.class)
        .hasMessageContaining("NUL");
  }
}
