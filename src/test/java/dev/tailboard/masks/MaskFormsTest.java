package dev.tailboard.masks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskFormsTest {

  private static final String[] VALUES = {
    "hunter22", "s3cr3t/+?=&", "pässwörd €", "a b*c%d\"e\\f", "😀😀ok", "abcd", "ab\tcd\u0001"
  };

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Test
  void base64OfAnyBlobAroundTheValueContainsAForm() {
    Random random = new Random(42);
    for (String value : VALUES) {
      List<String> forms = MaskForms.of(value);
      byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
      for (int round = 0; round < 300; round++) {
        byte[] blob =
            concat(
                randomBytes(random, random.nextInt(10)),
                bytes,
                randomBytes(random, random.nextInt(10)));
        String standard = Base64.getEncoder().encodeToString(blob);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(blob);
        assertThat(forms).anySatisfy(f -> assertThat(standard).contains(f));
        assertThat(forms).anySatisfy(f -> assertThat(urlSafe).contains(f));
      }
    }
  }

  @Test
  void base64FormsAreTheThreeAlignmentsWithoutTheSharedCharacters() {
    // "abcdef" is YWJjZGVm; after 1 or 2 other bytes the chars shared with those bytes go
    assertThat(MaskForms.of("abcdef")).contains("YWJjZGVm", "FiY2RlZ", "hYmNkZW");
  }

  @Test
  void urlAndJsonForms() throws Exception {
    String value = "a b/c\"é\\";
    List<String> forms = MaskForms.of(value);
    assertThat(forms.get(0)).isEqualTo(value);
    assertThat(forms)
        .contains(
            URLEncoder.encode(value, StandardCharsets.UTF_8),
            "a%20b%2Fc%22%C3%A9%5C",
            "a%20b%2fc%22%c3%a9%5c",
            "a b/c\\\"é\\\\",
            "a b/c\\\"\\u00E9\\\\",
            "a b/c\\\"\\u00e9\\\\");
    String json = new ObjectMapper().writeValueAsString(value);
    assertThat(forms).contains(json.substring(1, json.length() - 1));
    assertThat(forms).doesNotHaveDuplicates();
  }

  @Test
  void plainValueHasNoRepeatedForms() {
    // URL and JSON forms of "hunter22" are the value itself, its URL-safe base64 the standard one
    assertThat(MaskForms.of("hunter22")).containsOnlyOnce("hunter22").doesNotHaveDuplicates();
    assertThat(MaskForms.of("hunter22")).hasSize(1 + 3);
  }

  @Test
  void noFormIsShorterThanFourChars() {
    for (String value : VALUES) {
      assertThat(MaskForms.of(value))
          .allSatisfy(f -> assertThat(f.length()).isGreaterThanOrEqualTo(4));
    }
    assertThat(MaskForms.of("abcd"))
        .allSatisfy(f -> assertThat(f.length()).isGreaterThanOrEqualTo(4));
  }

  @Test
  void multiLineValueIsMaskedWholeAndLineByLine() {
    String value = "-----BEGIN KEY-----\r\nMIIEab\nxy\n   \n-----END KEY-----";
    List<String> forms = MaskForms.of(value);
    assertThat(forms.get(0)).isEqualTo(value);
    assertThat(forms)
        .contains(
            value.replace("\r\n", "\n"),
            "-----BEGIN KEY-----",
            "MIIEab",
            "-----END KEY-----",
            "-----BEGIN KEY-----\\r\\nMIIEab\\nxy\\n   \\n-----END KEY-----")
        .doesNotContain("xy", "   ");
    // the lines' encodings too: a tool may encode one line of a key
    assertThat(forms)
        .contains(Base64.getEncoder().withoutPadding().encodeToString("MIIEab".getBytes()));
    assertThat(forms).filteredOn(f -> f.contains("\n")).hasSize(2);
  }

  @Test
  void linesDropTheCarriageReturnOfCrlf() {
    assertThat(MaskForms.lines("a\r\nb\nc\r")).containsExactly("a", "b", "c\r");
  }
}
