package dev.tailboard.masks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tailboard.builds.LineReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Random secrets hidden in random logs, in every encoding masked, read as ingestion reads a log
 * (byte pieces through {@link LineReader}, lines masked in chunks with {@link Masker#maskLines}):
 * no form of a secret may be left in what would be stored. The encodings are made here
 * independently of {@link MaskForms} (Jackson's mapper, {@link URLEncoder} rewritten to RFC 3986),
 * so a form that misses an encoding shows as a payload that survived.
 *
 * <p>{@code -Dmasks.cases=N} (default 100,000) and {@code -Dmasks.seed=S} (printed) reproduce a
 * run.
 */
class MaskerPropertyTest {

  private static final String FILLER =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-_=/+*%\"\\'()[]{}<>#@!?~"
          + "éüß€中";
  private static final String[] SECRET_ALPHABETS = {
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        + " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
        + "éüß€中\t",
    // few letters: overlapping occurrences, and secrets that a mask can complete again
    "ab*",
    "0123456789abcdef",
  };
  private static final String EMOJI = "😀";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper ASCII_JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final Pattern PERCENT = Pattern.compile("%([0-9A-F]{2})");

  private static final int MAX_CHARS = 65536;

  private final StringBuilder failures = new StringBuilder();
  private int leaks;
  private int falsePositives;

  @Test
  void noFormOfASecretSurvivesIngestion() throws Exception {
    long seed = Long.getLong("masks.seed", System.nanoTime());
    int cases = Integer.getInteger("masks.cases", 100_000);
    Random seeds = new Random(seed);
    long started = System.nanoTime();
    long lines = 0;
    long changed = 0;
    for (int c = 0; c < cases; c++) {
      long caseSeed = seeds.nextLong();
      int[] counts = runCase(new Random(caseSeed), caseSeed);
      lines += counts[0];
      changed += counts[1];
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "MaskerPropertyTest: seed %d, %d cases, %d lines (%d masked) in %d ms: %d leaks, %d false"
            + " positives%n",
        seed, cases, lines, changed, millis, leaks, falsePositives);
    assertThat(leaks + falsePositives)
        .as("seed %d (-Dmasks.seed=%d):%n%s", seed, seed, failures)
        .isZero();
  }

  /**
   * A line too long to hold is handed on in pieces ({@code log.maxLineBytes}); cut where {@link
   * Masker#safeCut} says, no piece ends inside a form, so masking the pieces one by one leaves none
   * in their concatenation. {@code -Dmasks.pieceCases=N} (default 20,000).
   */
  @Test
  void aLongLineReadInPiecesIsNeverCutInsideAForm() throws Exception {
    long seed = Long.getLong("masks.seed", System.nanoTime());
    int cases = Integer.getInteger("masks.pieceCases", 20_000);
    Random random = new Random(seed);
    long pieces = 0;
    for (int c = 0; c < cases; c++) {
      List<String> secrets = new ArrayList<>();
      while (secrets.size() < 1 + random.nextInt(3)) {
        String secret = secret(random);
        // one line; no '*', which a mask next to a piece's end could complete into a value
        if (MaskValues.check(secret) == null
            && secret.indexOf('\n') < 0
            && secret.indexOf('*') < 0) {
          secrets.add(secret);
        }
      }
      Masker masker = Masker.of(secrets);
      List<String> forms = new ArrayList<>();
      secrets.forEach(v -> forms.addAll(MaskForms.of(v)));
      int longest = forms.stream().mapToInt(String::length).max().orElseThrow();
      StringBuilder line = new StringBuilder(filler(random, 30));
      for (int e = 0; e < 2 + random.nextInt(12); e++) {
        String payload = payload(random, secrets.get(random.nextInt(secrets.size())));
        line.append(payload.replace("\n", " ").replace("\r", " ")).append(filler(random, 40));
      }
      byte[] body = line.toString().getBytes(StandardCharsets.UTF_8);
      int maxChars = 2 * longest + random.nextInt(64);
      List<String> read = new ArrayList<>();
      LineReader reader = new LineReader(maxChars, read::add, masker::safeCut);
      for (int at = 0; at < body.length; ) {
        int n = Math.min(body.length - at, 1 + random.nextInt(40));
        reader.feed(body, at, n);
        at += n;
      }
      reader.end();
      pieces += read.size();
      StringBuilder stored = new StringBuilder();
      read.forEach(piece -> stored.append(masker.mask(piece)));
      for (String form : forms) {
        if (stored.indexOf(form) >= 0) {
          fail(seed, "form " + form + " of " + secrets + " survived in pieces " + read, true);
        }
      }
      if (!String.join("", read).equals(line.toString())) {
        fail(seed, "pieces " + read + " are not the line " + line, false);
      }
    }
    System.out.printf(
        "MaskerPropertyTest pieces: seed %d, %d cases, %d pieces: %d leaks%n",
        seed, cases, pieces, leaks);
    assertThat(leaks + falsePositives)
        .as("seed %d (-Dmasks.seed=%d):%n%s", seed, seed, failures)
        .isZero();
  }

  /** One log: returns {lines, lines masked}. */
  private int[] runCase(Random random, long caseSeed) throws Exception {
    List<String> secrets = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    while (secrets.size() < count) {
      String secret = secret(random);
      if (MaskValues.check(secret) == null) {
        secrets.add(secret);
      }
    }
    Masker masker = Masker.of(secrets);

    // the log, and every encoded secret put into it
    List<String> payloads = new ArrayList<>();
    StringBuilder log = new StringBuilder();
    int logLines = 1 + random.nextInt(12);
    for (int l = 0; l < logLines; l++) {
      log.append(filler(random, 30));
      int embedded = random.nextInt(4);
      for (int e = 0; e < embedded; e++) {
        String payload = payload(random, secrets.get(random.nextInt(secrets.size())));
        payloads.add(payload);
        log.append(payload).append(filler(random, 20));
      }
      if (l < logLines - 1 || random.nextBoolean()) {
        log.append(random.nextInt(4) == 0 ? "\r\n" : "\n");
      }
    }
    byte[] body = log.toString().getBytes(StandardCharsets.UTF_8);

    // read as the network may deliver it
    List<String> read = new ArrayList<>();
    LineReader reader = new LineReader(MAX_CHARS, read::add);
    int at = 0;
    while (at < body.length) {
      int n = Math.min(body.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 200));
      reader.feed(body, at, n);
      at += n;
    }
    reader.end();

    List<String> singleLineForms = new ArrayList<>();
    List<String> multiLineForms = new ArrayList<>();
    for (String secret : secrets) {
      for (String form : MaskForms.of(secret)) {
        (form.indexOf('\n') >= 0 ? multiLineForms : singleLineForms).add(form);
      }
    }

    int changed = 0;
    int from = 0;
    while (from < read.size()) {
      int to = Math.min(read.size(), from + 1 + random.nextInt(6));
      List<String> chunk = List.copyOf(read.subList(from, to));
      List<String> masked = masker.maskLines(chunk);
      if (masked.size() != chunk.size()) {
        fail(caseSeed, "line count changed: " + chunk + " -> " + masked, true);
        return new int[] {read.size(), changed};
      }
      boolean[] inMultiLineForm = multiLineHits(chunk, multiLineForms);
      for (int i = 0; i < masked.size(); i++) {
        String out = masked.get(i);
        for (String form : singleLineForms) {
          if (out.contains(form)) {
            fail(caseSeed, "form " + quote(form) + " left in " + quote(out), true);
          }
        }
        for (String payload : payloads) {
          if (payload.indexOf('\n') < 0 && out.contains(payload)) {
            fail(caseSeed, "payload " + quote(payload) + " left in " + quote(out), true);
          }
        }
        if (!out.equals(chunk.get(i))) {
          changed++;
          if (!inMultiLineForm[i] && !containsAny(chunk.get(i), singleLineForms)) {
            fail(caseSeed, "line without a secret changed: " + quote(chunk.get(i)), false);
          }
        }
      }
      String joined = String.join("\n", masked);
      for (String form : multiLineForms) {
        if (joined.contains(form)) {
          fail(caseSeed, "multi-line form " + quote(form) + " left in " + quote(joined), true);
        }
      }
      from = to;
    }
    return new int[] {read.size(), changed};
  }

  private static boolean containsAny(String line, List<String> forms) {
    for (String form : forms) {
      if (line.contains(form)) {
        return true;
      }
    }
    return false;
  }

  /** Which lines of the chunk are part of an occurrence of a multi-line form. */
  private static boolean[] multiLineHits(List<String> chunk, List<String> multi) {
    boolean[] hit = new boolean[chunk.size()];
    if (multi.isEmpty()) {
      return hit;
    }
    String joined = String.join("\n", chunk);
    for (String form : multi) {
      for (int at = joined.indexOf(form); at >= 0; at = joined.indexOf(form, at + 1)) {
        int start = 0;
        for (int l = 0; l < chunk.size(); l++) {
          int end = start + chunk.get(l).length();
          if (at < end && at + form.length() > start) {
            hit[l] = true;
          }
          start = end + 1;
        }
      }
    }
    return hit;
  }

  private void fail(long caseSeed, String what, boolean leak) {
    if (leak) {
      leaks++;
    } else {
      falsePositives++;
    }
    if (leaks + falsePositives <= 20) {
      failures.append("case seed ").append(caseSeed).append(": ").append(what).append('\n');
    }
  }

  private static String secret(Random random) {
    if (random.nextInt(6) == 0) {
      // a multi-line secret, a key file say
      StringBuilder s = new StringBuilder();
      int lines = 2 + random.nextInt(3);
      for (int l = 0; l < lines; l++) {
        if (l > 0) {
          s.append(random.nextInt(3) == 0 ? "\r\n" : "\n");
        }
        s.append(chars(random, random.nextInt(random.nextBoolean() ? 4 : 20)));
      }
      return s.toString();
    }
    return chars(random, 4 + random.nextInt(37));
  }

  /** {@code n} characters (code points) of one of the secret alphabets. */
  private static String chars(Random random, int n) {
    String alphabet = SECRET_ALPHABETS[random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0];
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (alphabet == SECRET_ALPHABETS[0] && random.nextInt(40) == 0) {
        s.append(EMOJI);
      } else {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return s.toString();
  }

  private static String filler(Random random, int max) {
    int n = random.nextInt(max + 1);
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append(FILLER.charAt(random.nextInt(FILLER.length())));
    }
    return s.toString();
  }

  /** The secret as some tool may print it. */
  private static String payload(Random random, String secret) throws Exception {
    switch (random.nextInt(9)) {
      case 0:
      case 1:
        // raw; a multi-line secret raw spans lines of the log
        return secret;
      case 2:
        {
          // a line that holds the secret somewhere, base64-encoded (Basic auth, a k8s secret)
          byte[] line =
              (filler(random, 12) + secret + filler(random, 12)).getBytes(StandardCharsets.UTF_8);
          return switch (random.nextInt(3)) {
            case 0 -> Base64.getEncoder().encodeToString(line);
            case 1 -> Base64.getUrlEncoder().encodeToString(line);
            default -> Base64.getUrlEncoder().withoutPadding().encodeToString(line);
          };
        }
      case 3:
        return URLEncoder.encode(secret, StandardCharsets.UTF_8);
      case 4:
        {
          String rfc3986 =
              URLEncoder.encode(secret, StandardCharsets.UTF_8)
                  .replace("+", "%20")
                  .replace("*", "%2A")
                  .replace("%7E", "~");
          return random.nextBoolean() ? rfc3986 : lowerHex(PERCENT, rfc3986);
        }
      case 5:
        return unquote(JSON.writeValueAsString(secret));
      case 6:
        {
          if (random.nextBoolean()) {
            return unquote(ASCII_JSON.writeValueAsString(secret));
          }
          // as Python's json.dumps writes it: lower case hex (a regex over the upper case one
          // would take an escaped backslash before "u1234" for an escape)
          StringBuilder lower = new StringBuilder();
          for (char c : unquote(JSON.writeValueAsString(secret)).toCharArray()) {
            lower.append(c < 128 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
          }
          return lower.toString();
        }
      case 7:
        {
          // one line of a multi-line secret, as a script may echo it (a line masked on its own)
          List<String> lines = new ArrayList<>(MaskForms.lines(secret));
          lines.removeIf(line -> !MaskValues.maskable(line));
          return lines.get(random.nextInt(lines.size()));
        }
      default:
        // the secret twice, touching: one mask for both
        return secret + secret;
    }
  }

  private static String unquote(String json) {
    return json.substring(1, json.length() - 1);
  }

  private static String lowerHex(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String lower = m.group().replace(m.group(1), m.group(1).toLowerCase(Locale.ROOT));
      m.appendReplacement(out, Matcher.quoteReplacement(lower));
    }
    return m.appendTail(out).toString();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + "\"";
  }
}
