package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Mask values are stored sealed: unreadable without the key, and only the key opens them. */
class SealerTest {

  private static Sealer sealer(int fill) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) fill);
    return new Sealer(new SecretKeySpec(key, "AES"));
  }

  @Test
  void aSealedValueOpensWithTheSameKeyAndDoesNotShowTheValue() {
    Sealer sealer = sealer(1);
    String value = "ghp_example-token-ünïcode";

    String sealed = sealer.seal(value);

    assertThat(sealed).doesNotContain("ghp_").doesNotContain("token");
    assertThat(sealer.seal(value)).isNotEqualTo(sealed); // a fresh nonce every time
    assertThat(sealer.open(sealed)).isEqualTo(value);
  }

  @Test
  void anotherKeyCannotOpenIt() {
    String sealed = sealer(1).seal("a-secret-value");

    assertThatThrownBy(() -> sealer(2).open(sealed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("signing secret");
  }

  @Test
  void nodesSharingASigningSecretDeriveTheSameKey() {
    byte[] secret = "a-shared-signing-secret-of-32-bytes!".getBytes();
    Sealer one = new Sealer(new TokenService(SigningKey.of(secret)));
    Sealer two = new Sealer(new TokenService(SigningKey.of(secret)));

    assertThat(two.open(one.seal("shared value"))).isEqualTo("shared value");
  }
}
