package dev.tailboard.builds;

import dev.tailboard.store.NewBuild;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The SHA-256 (hex) of a request body's content, kept with its {@code Idempotency-Key} or {@code
 * seq} so that a repeat can be told from a different request reusing the key.
 *
 * <p>The canonical form is the fields as received (no trimming, no splitting): a kind tag, then
 * each field as its length in UTF-16 units ({@code -1} for null) followed by its UTF-16 units. It
 * is unambiguous ({@code ["ab"]} and {@code ["a", "b"]} differ, so do null and {@code ""}) and
 * takes any string, lone surrogates included, which UTF-8 JSON would not.
 */
public final class BodyFingerprint {

  private BodyFingerprint() {}

  /** A create's body: the {@link NewBuild} fields. */
  public static String of(NewBuild b) {
    return digest("build", List.of(), b.project(), b.title(), b.ref(), b.commit(), b.url());
  }

  /** A log chunk: its lines and its step and stream. */
  public static String ofChunk(List<String> lines, String step, String stream) {
    return digest("chunk", lines, step, stream);
  }

  private static String digest(String kind, List<String> lines, String... fields) {
    MessageDigest sha = sha256();
    add(sha, kind);
    sha.update(ByteBuffer.allocate(4).putInt(lines.size()).array());
    lines.forEach(line -> add(sha, line));
    for (String field : fields) {
      add(sha, field);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void add(MessageDigest sha, String value) {
    int length = value == null ? -1 : value.length();
    ByteBuffer bytes = ByteBuffer.allocate(4 + 2 * Math.max(length, 0)).putInt(length);
    if (value != null) {
      bytes.asCharBuffer().put(value);
    }
    sha.update(bytes.array());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
