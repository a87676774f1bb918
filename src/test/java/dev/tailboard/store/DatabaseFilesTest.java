package dev.tailboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tailboard.config.OwnerOnly;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database's files end up readable by the server's user only. */
class DatabaseFilesTest {

  @TempDir Path temp;

  @Test
  void h2FilesBecomeOwnerOnly() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path dir = OwnerOnly.directory(temp.resolve("data"));
    // the driver itself: another test in this JVM may have deregistered it from DriverManager
    String url = "jdbc:h2:file:" + dir.resolve("tailboard");
    try (Connection db = new org.h2.Driver().connect(url, new Properties())) {
      db.createStatement().execute("CREATE TABLE t (x INT)");
      Path file = dir.resolve("tailboard.mv.db");
      assertThat(file).exists();

      Database.restrictDatabaseFiles(dir);

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .isEqualTo("rwx------");
    }
  }
}
