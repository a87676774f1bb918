package dev.tailboard.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only permissions for the data directory ({@code rwx------}) and the files Tailboard keeps
 * in it ({@code rw-------}): the signing secret mints admin tokens and the database holds every
 * log. On file systems without POSIX permissions (Windows) it does nothing.
 */
public final class OwnerOnly {

  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Creates {@code dir} (and missing parents) if needed and makes it owner-only; returns it. */
  public static Path directory(Path dir) {
    try {
      if (!posix()) {
        return Files.createDirectories(dir);
      }
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      }
      // also an existing directory, made by an older version or by hand with the umask's rights
      Files.setPosixFilePermissions(dir, DIRECTORY);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the data directory " + dir, e);
    }
  }

  /** Makes an existing file owner-only. */
  public static void file(Path file) {
    if (!posix()) {
      return;
    }
    try {
      Files.setPosixFilePermissions(file, FILE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot restrict the permissions of " + file, e);
    }
  }

  /** The attributes that create a file owner-only from the start. */
  public static FileAttribute<?>[] fileAttributes() {
    if (!posix()) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)};
  }
}
