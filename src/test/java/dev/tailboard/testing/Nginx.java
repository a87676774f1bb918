package dev.tailboard.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * Debian's nginx in front of a test's nodes, started from the shipped {@code
 * deploy/nginx/tailboard.conf} itself, so the tests exercise the configuration a team deploys. Only
 * the lines the file tags for it change (see {@link #configFor}): the upstream servers become the
 * given nodes, the listen line a free port of 127.0.0.1, and pid, logs and temp paths move into a
 * temp directory. nginx runs in the foreground as this JVM's child.
 */
public final class Nginx implements AutoCloseable {

  /** The configuration a team deploys, relative to the project directory the tests run in. */
  public static final Path SHIPPED_CONFIG = Path.of("deploy", "nginx", "tailboard.conf");

  private static final Path NGINX = Path.of("/usr/sbin/nginx");
  private static final Pattern TAG = Pattern.compile("#\\s*\\[test: (\\w+)]");
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("(?<=\\s)/[^\\s;]+");
  private static final Pattern INDENT = Pattern.compile("^\\s*");

  private final Path dir;
  private final int port;
  private final Process process;

  private Nginx(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts nginx in front of the given nodes (base URLs such as {@code http://127.0.0.1:8081}) and
   * waits until it answers.
   */
  public static Nginx start(List<String> upstreamBaseUrls) throws IOException {
    if (!Files.isExecutable(NGINX)) {
      throw new IllegalStateException(
          "No " + NGINX + ": install Debian's nginx (apt-get install nginx); .ci/run does");
    }
    List<String> upstreams = new ArrayList<>();
    for (String url : upstreamBaseUrls) {
      URI uri = URI.create(url);
      upstreams.add(uri.getHost() + ":" + uri.getPort());
    }
    Path dir = Files.createTempDirectory("tailboard-nginx-");
    // as root the workers run as www-data: they must reach the temp paths nginx makes in here
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    int port = WarServer.freePort();
    Path conf = dir.resolve("tailboard.conf");
    Files.writeString(conf, configFor(Files.readString(SHIPPED_CONFIG), upstreams, port, dir));
    Process process =
        new ProcessBuilder(
                NGINX.toString(),
                "-c",
                conf.toString(),
                "-p",
                dir.toString(),
                // the shipped file leaves daemon mode to the host; here nginx is our child
                "-g",
                "daemon off;")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    Nginx nginx = new Nginx(dir, port, process);
    nginx.awaitAnswering();
    return nginx;
  }

  /**
   * The shipped configuration rewritten for a test: the {@code [test: upstream]} server lines
   * replaced by one line per given {@code host:port}, the {@code [test: listen]} line by {@code
   * listen 127.0.0.1:<port>}, and the absolute path of each {@code [test: path]} line moved into
   * {@code dir} (same file name). Every tag must occur, so a config that lost them fails here.
   */
  static String configFor(String shipped, List<String> upstreams, int port, Path dir) {
    StringBuilder out = new StringBuilder();
    List<String> seen = new ArrayList<>();
    for (String line : shipped.split("\n", -1)) {
      Matcher tag = TAG.matcher(line);
      if (line.strip().startsWith("#") || !tag.find()) {
        out.append(line).append('\n');
        continue;
      }
      String kind = tag.group(1);
      String indent = indentOf(line);
      switch (kind) {
        case "upstream" -> {
          if (!seen.contains(kind)) {
            for (String upstream : upstreams) {
              out.append(indent).append("server ").append(upstream).append(";\n");
            }
          }
        }
        case "listen" -> out.append(indent).append("listen 127.0.0.1:").append(port).append(";\n");
        case "path" -> out.append(movedInto(dir, line)).append('\n');
        default -> throw new IllegalStateException("unknown tag [test: " + kind + "]: " + line);
      }
      seen.add(kind);
    }
    for (String required : List.of("upstream", "listen", "path")) {
      if (!seen.contains(required)) {
        throw new IllegalStateException(
            SHIPPED_CONFIG + " has no line tagged [test: " + required + "] for the tests");
      }
    }
    out.setLength(out.length() - 1); // split kept the text after the last newline
    return out.toString();
  }

  private static String indentOf(String line) {
    Matcher m = INDENT.matcher(line);
    return m.find() ? m.group() : "";
  }

  private static String movedInto(Path dir, String line) {
    Matcher path = ABSOLUTE_PATH.matcher(line);
    if (!path.find()) {
      throw new IllegalStateException("a [test: path] line without an absolute path: " + line);
    }
    Path moved = dir.resolve(Path.of(path.group()).getFileName());
    return line.substring(0, path.start()) + moved + line.substring(path.end());
  }

  /** Until it accepts connections: a port probe, which reaches no node behind it. */
  private void awaitAnswering() {
    Awaitility.await("nginx on port " + port + " (see " + dir + ")")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .failFast(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited:\n" + output());
              }
            })
        .until(
            () -> {
              try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
              }
            });
  }

  /** What nginx printed before its error log was open, and that log. */
  private String output() throws IOException {
    String out = Files.readString(dir.resolve("nginx.out"));
    return Files.exists(errorLog()) ? out + Files.readString(errorLog()) : out;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + port;
  }

  /** nginx's error log, where it names the upstreams it gave up on. */
  public Path errorLog() {
    return dir.resolve("tailboard-error.log");
  }

  /** Stops nginx (SIGTERM: fast shutdown, open streams are cut) and deletes its directory. */
  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      // workers outlive a killed master: kill them first
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
    }
    Commands.deleteTree(dir);
  }
}
