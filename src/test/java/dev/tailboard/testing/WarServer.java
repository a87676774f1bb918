package dev.tailboard.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A Tailboard server of a test's own, for tests that stop and start it: the built WAR ({@code
 * target/tailboard.war}) in a separate JVM ({@link WarServerMain}) on a fixed port of 127.0.0.1
 * with its own data directory, so a restart keeps its port and its store. The child's class path is
 * Jetty and the container APIs only; everything else comes from the WAR, as in a real container.
 */
public final class WarServer implements AutoCloseable {

  private static final List<String> CONTAINER_JARS =
      List.of(
          "/org/eclipse/jetty/",
          "/org/ow2/asm/",
          "/jakarta/servlet/",
          "/jakarta/websocket/",
          "/jakarta/annotation/",
          "/jakarta/transaction/",
          "/org/slf4j/");

  private final int port;
  private final Path dataDir;
  private final Path log;
  private final Map<String, String> properties;
  private Process process;

  private WarServer(int port, Path dataDir, Map<String, String> properties) {
    this.port = port;
    this.dataDir = dataDir;
    this.properties = Map.copyOf(properties);
    this.log = Path.of("target", "war-server-" + port + ".log");
  }

  /** Starts a server on a free port with a fresh data directory and waits until it is healthy. */
  public static WarServer start() throws IOException {
    return start(Map.of());
  }

  /**
   * Starts a server as {@link #start()} does, with extra system properties for its JVM (such as
   * {@code tailboard.db.url}); they win over the defaults given here, and a restart keeps them.
   */
  public static WarServer start(Map<String, String> properties) throws IOException {
    WarServer server =
        new WarServer(freePort(), Files.createTempDirectory("tailboard-war-server-"), properties);
    server.startProcess();
    return server;
  }

  /**
   * A free port below Linux's ephemeral range (32768+): the server binds it again after a restart,
   * and a port in that range may meanwhile be taken by any client socket, the test's own included.
   */
  static int freePort() throws IOException {
    for (int tries = 0; tries < 100; tries++) {
      int port = 10_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(22_000);
      try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port between 10000 and 32000");
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Stops the server the way a container stops (SIGTERM: undeploy, then exit) and waits. */
  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** Kills the server with SIGKILL (kill -9): no undeploy, no flush, nothing. */
  public void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }

  /** Starts it again on the same port with the same data directory (after a stop or a kill). */
  public void startAgain() throws IOException {
    startProcess();
  }

  /** Stops it and starts it again on the same port with the same data directory. */
  public void restart() throws IOException, InterruptedException {
    stop();
    startProcess();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private void startProcess() throws IOException {
    String classPath =
        Arrays.stream(testClassPath().split(File.pathSeparator))
            .filter(
                e -> e.endsWith("test-classes") || CONTAINER_JARS.stream().anyMatch(e::contains))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx384m",
            "-Dtailboard.dataDir=" + dataDir,
            "-Dtailboard.secret=" + ItServer.secret(),
            "-Dtailboard.sse.heartbeatSeconds=1",
            "-Dtailboard.ws.pingSeconds=1",
            // the reconnect-storm test opens 2,000 streams from this one address
            "-Dtailboard.limits.connectionsPerClient=10000"));
    // after the defaults: of two -D for one name the JVM keeps the last
    properties.forEach((name, value) -> cmd.add("-D" + name + "=" + value));
    cmd.addAll(
        List.of(
            "-cp",
            classPath,
            WarServerMain.class.getName(),
            Integer.toString(port),
            Path.of("target", "tailboard.war").toString()));
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    awaitHealthy();
  }

  private void awaitHealthy() {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/health")).build();
    Awaitility.await("WAR server on port " + port + " (log: " + log + ")")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast("the WAR server exited, see " + log, () -> !process.isAlive())
        .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  /** Surefire and Failsafe run tests from a manifest-only jar and name the real path here. */
  private static String testClassPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }
}
