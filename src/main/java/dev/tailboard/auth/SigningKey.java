package dev.tailboard.auth;

import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import java.nio.charset.StandardCharsets;

/**
 * The HMAC key tokens are signed with: the {@code secret} setting when set, else the secret file in
 * the data directory, generated on first use.
 */
final class SigningKey {

  /** HS256 needs a key at least as long as its 256-bit output; nimbus refuses shorter ones. */
  static final int MIN_BYTES = 32;

  private final byte[] bytes;
  private final boolean created;

  private SigningKey(byte[] bytes, boolean created) {
    this.bytes = bytes.clone();
    this.created = created;
  }

  static SigningKey of(byte[] bytes) {
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException("A signing key needs at least " + MIN_BYTES + " bytes");
    }
    return new SigningKey(bytes, false);
  }

  static SigningKey load(Config config) {
    String configured = config.string(Setting.SECRET);
    if (!configured.isEmpty()) {
      byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
      if (bytes.length < MIN_BYTES) {
        // Failing the start beats silently signing with a guessable key.
        throw new IllegalStateException(
            "Setting "
                + Setting.SECRET.propertyName()
                + " must be at least "
                + MIN_BYTES
                + " bytes; leave it empty to have one generated");
      }
      return new SigningKey(bytes, false);
    }
    SecretFile file = new SecretFile(config.dataDir().resolve("secret"));
    if (file.exists()) {
      return new SigningKey(file.read(), false);
    }
    return new SigningKey(file.create(), true);
  }

  byte[] bytes() {
    return bytes.clone();
  }

  /** Whether loading this key generated the secret file, i.e. this is the server's first start. */
  boolean created() {
    return created;
  }

  @Override
  public String toString() {
    return "SigningKey[redacted]";
  }
}
