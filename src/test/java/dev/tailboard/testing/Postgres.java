package dev.tailboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A PostgreSQL server of the tests' own: Debian's server binaries ({@code
 * /usr/lib/postgresql/<newest>/bin}), a cluster freshly made by {@code initdb} in a temp directory,
 * started by {@code pg_ctl} on a free port of 127.0.0.1 with its unix socket in that directory.
 * User {@value #USER}, trust authentication (no password). As root (where PostgreSQL refuses to
 * run) the server runs as the {@code postgres} user the Debian package creates. SQL goes through
 * {@code psql}, so the tests need no JDBC driver of their own.
 */
public final class Postgres implements AutoCloseable {

  /** The superuser initdb creates; the nodes log in as it. */
  public static final String USER = "tailboard";

  private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  private static Postgres shared;

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final Path log;
  private final int port;
  private boolean running;

  private Postgres(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.log = dir.resolve("postgres.log");
    this.port = port;
  }

  /**
   * The one server of this test JVM, started on first use and stopped when the JVM exits. Tests
   * keep apart by creating a database each ({@link #createDatabase}).
   */
  public static synchronized Postgres shared() throws IOException {
    if (shared == null) {
      Postgres started = start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::stopQuietly, "postgres-stop"));
      shared = started;
    }
    return shared;
  }

  /** Makes a fresh cluster, starts it on a free port and waits until it accepts connections. */
  public static Postgres start() throws IOException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("tailboard-postgres-");
    // the postgres user must reach its socket, log and data directory (initdb makes data 0700)
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (Commands.runningAsRoot()) {
      Commands.check(dir, COMMAND_TIMEOUT, List.of("chown", "postgres:postgres", dir.toString()));
    }
    Postgres postgres = new Postgres(bin, dir, WarServer.freePort());
    postgres.initdb();
    postgres.startServer();
    return postgres;
  }

  /** The newest {@code /usr/lib/postgresql/<version>/bin} that has initdb and pg_ctl. */
  private static Path binaries() {
    List<Path> found;
    try (Stream<Path> versions =
        Files.isDirectory(DEBIAN_VERSIONS) ? Files.list(DEBIAN_VERSIONS) : Stream.empty()) {
      found =
          versions
              .filter(v -> v.getFileName().toString().matches("\\d+"))
              .map(v -> v.resolve("bin"))
              .filter(b -> Files.isExecutable(b.resolve("initdb")))
              .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
              .sorted(
                  Comparator.comparingInt(
                      b -> Integer.parseInt(b.getParent().getFileName().toString())))
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "No PostgreSQL server binaries in "
              + DEBIAN_VERSIONS
              + "/<version>/bin (initdb, pg_ctl): install Debian's postgresql; .ci/run does");
    }
    return found.get(found.size() - 1);
  }

  private void initdb() throws IOException {
    Commands.check(
        dir,
        COMMAND_TIMEOUT,
        asPostgres(
            tool("initdb"),
            "-D",
            data.toString(),
            "-A",
            "trust",
            "-U",
            USER,
            "-E",
            "UTF8",
            "--no-locale",
            // a throw-away cluster: no need to wait for its files to reach the disk
            "--no-sync"));
  }

  private void startServer() throws IOException {
    String options =
        String.join(
            " ",
            "-p " + port,
            "-c listen_addresses=127.0.0.1",
            "-c unix_socket_directories=" + dir,
            // three nodes with a pool each, plus LISTEN connections, plus the test's own
            "-c max_connections=200");
    // -W: pg_ctl returns once the server is forked; readiness is awaited below
    Commands.check(
        dir,
        COMMAND_TIMEOUT,
        asPostgres(
            tool("pg_ctl"),
            "-D",
            data.toString(),
            "-l",
            log.toString(),
            "-o",
            options,
            "-W",
            "start"));
    running = true;
    Awaitility.await("PostgreSQL on 127.0.0.1:" + port + " (log: " + log + ")")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .failFast("PostgreSQL failed to start, see " + log, this::failedToStart)
        .until(this::ready);
  }

  private boolean ready() throws IOException {
    return Commands.run(
            dir,
            COMMAND_TIMEOUT,
            List.of(
                tool("pg_isready"),
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-U",
                USER))
        .ok();
  }

  /** A FATAL or PANIC in its log, other than the refusals while it is still starting up. */
  private boolean failedToStart() throws IOException {
    if (!Files.exists(log)) {
      return false;
    }
    try (Stream<String> lines = Files.lines(log)) {
      return lines.anyMatch(
          l -> (l.contains("FATAL:") || l.contains("PANIC:")) && !l.contains("starting up"));
    }
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of a database of this server (user {@value #USER}, no password). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Creates an empty database owned by {@value #USER}; a name of lower-case letters, digits, _. */
  public void createDatabase(String name) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    query("postgres", "CREATE DATABASE " + name);
  }

  /**
   * Runs SQL in a database through psql and returns what it printed: unaligned, tuples only (a
   * {@code SELECT 1} prints {@code 1}), trimmed. An SQL error throws with psql's message.
   */
  public String query(String database, String sql) throws IOException {
    return Commands.check(
            dir,
            COMMAND_TIMEOUT,
            List.of(
                tool("psql"),
                "-X",
                "-q",
                "-t",
                "-A",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-U",
                USER,
                "-d",
                database,
                "-c",
                sql))
        .trim();
  }

  /** Stops the server (fast: open sessions are ended) and deletes its directory. */
  public synchronized void stop() throws IOException {
    if (running) {
      Commands.check(
          dir,
          COMMAND_TIMEOUT,
          asPostgres(tool("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "stop"));
      running = false;
    }
    Commands.deleteTree(dir);
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (IOException | RuntimeException e) {
      System.err.println("Could not stop the test PostgreSQL on port " + port + ": " + e);
    }
  }

  private String tool(String name) {
    return bin.resolve(name).toString();
  }

  private static List<String> asPostgres(String... command) {
    return Commands.asUser("postgres", new ArrayList<>(List.of(command)));
  }
}
