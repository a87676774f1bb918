package dev.tailboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tailboard.config.Config;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyTest {

  private static final String DATA_DIR = "tailboard.dataDir";
  private static final String SECRET = "tailboard.secret";

  @TempDir Path temp;

  private String savedDataDir;
  private String savedSecret;

  @BeforeEach
  void saveProperties() {
    savedDataDir = System.getProperty(DATA_DIR);
    savedSecret = System.getProperty(SECRET);
    System.clearProperty(SECRET);
  }

  @AfterEach
  void restoreProperties() {
    restore(DATA_DIR, savedDataDir);
    restore(SECRET, savedSecret);
  }

  private static void restore(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  private static Config config() {
    return new Config(name -> null, Map.of());
  }

  @Test
  void secretIsGeneratedOnceAndReusedAfterwards() throws Exception {
    Path dataDir = temp.resolve("nested/data");
    System.setProperty(DATA_DIR, dataDir.toString());

    TokenService first = new TokenService(config());
    String token = first.mint("ada", "admin", Duration.ofHours(1));
    Path secret = dataDir.resolve("secret");
    String stored = Files.readString(secret);
    TokenService second = new TokenService(config());

    assertThat(first.secretCreated()).isTrue();
    assertThat(second.secretCreated()).isFalse();
    assertThat(Base64.getDecoder().decode(stored.strip())).hasSizeGreaterThanOrEqualTo(32);
    assertThat(Files.readString(secret)).isEqualTo(stored);
    assertThat(second.verify(token).getName()).isEqualTo("ada");
    try (var files = Files.list(dataDir)) {
      assertThat(files).containsExactly(secret);
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void configuredSecretIsUsedAndNoFileIsWritten() {
    System.setProperty(DATA_DIR, temp.toString());
    System.setProperty(SECRET, "a-configured-secret-of-at-least-32-bytes");

    TokenService one = new TokenService(config());
    TokenService two = new TokenService(config());

    assertThat(one.secretCreated()).isFalse();
    assertThat(two.verify(one.mint("x", "admin", Duration.ofMinutes(1))).admin()).isTrue();
    assertThat(temp.resolve("secret")).doesNotExist();
  }

  @Test
  void shortConfiguredSecretFailsTheStart() {
    System.setProperty(DATA_DIR, temp.toString());
    System.setProperty(SECRET, "changeme");

    assertThatThrownBy(() -> new TokenService(config()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tailboard.secret");
  }

  @Test
  void corruptSecretFileFailsWithItsPath() throws Exception {
    System.setProperty(DATA_DIR, temp.toString());
    Files.writeString(temp.resolve("secret"), "not base64 !!\n");

    assertThatThrownBy(() -> new TokenService(config()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(temp.resolve("secret").toString());
  }
}
