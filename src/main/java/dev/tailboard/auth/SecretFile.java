package dev.tailboard.auth;

import dev.tailboard.config.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The generated signing secret kept in the data directory, base64 on one line. Owner-only
 * permissions where the file system is POSIX, since the secret lets anyone mint admin tokens.
 */
final class SecretFile {

  static final int GENERATED_BYTES = 48;

  private final Path path;

  SecretFile(Path path) {
    this.path = path;
  }

  Path path() {
    return path;
  }

  boolean exists() {
    return Files.exists(path);
  }

  byte[] read() {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the signing secret " + path, e);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The signing secret " + path + " is not base64", e);
    }
    if (bytes.length < SigningKey.MIN_BYTES) {
      throw new IllegalStateException(
          "The signing secret " + path + " is shorter than " + SigningKey.MIN_BYTES + " bytes");
    }
    return bytes;
  }

  /** Generates a secret and stores it; returns its bytes. */
  byte[] create() {
    byte[] bytes = new byte[GENERATED_BYTES];
    new SecureRandom().nextBytes(bytes);
    try {
      Path dir = OwnerOnly.directory(path.toAbsolutePath().getParent());
      // Written beside the target and moved into place so a crash never leaves a half-written
      // secret that would fail every later start.
      Path temp = Files.createTempFile(dir, ".secret", ".tmp", OwnerOnly.fileAttributes());
      try {
        Files.writeString(temp, Base64.getEncoder().encodeToString(bytes) + "\n");
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the signing secret " + path, e);
    }
    return bytes;
  }
}
