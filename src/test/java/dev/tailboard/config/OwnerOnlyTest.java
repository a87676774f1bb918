package dev.tailboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {

  @TempDir Path temp;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void aNewDataDirectoryIsOwnerOnly() throws IOException {
    Path dir = OwnerOnly.directory(temp.resolve("nested/data"));

    assertThat(dir).isDirectory();
    assertThat(permissions(dir)).isEqualTo("rwx------");
  }

  @Test
  void anExistingDirectoryAndFileAreTightened() throws IOException {
    Path dir = Files.createDirectory(temp.resolve("data"));
    Path file = Files.createFile(dir.resolve("tailboard.mv.db"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    OwnerOnly.directory(dir);
    OwnerOnly.file(file);

    assertThat(permissions(dir)).isEqualTo("rwx------");
    assertThat(permissions(file)).isEqualTo("rw-------");
  }
}
