package dev.tailboard.testing;

import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.Configurations;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The child process {@link WarServer} starts: the built WAR in an embedded Jetty 12 (ee10, with
 * annotation scanning and JSR 356 found on the class path), bound to 127.0.0.1. Arguments: port,
 * WAR file. Tailboard's settings come as {@code -Dtailboard.*} system properties.
 */
public final class WarServerMain {

  private WarServerMain() {}

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector http = new ServerConnector(server);
    http.setHost("127.0.0.1");
    http.setPort(Integer.parseInt(args[0]));
    server.addConnector(http);
    Configurations.setServerDefault(server);
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(Path.of(args[1]).toAbsolutePath().toString());
    webapp.setTempDirectory(Path.of(args[1]).resolveSibling("war-server-tmp-" + args[0]).toFile());
    server.setHandler(webapp);
    server.setStopAtShutdown(true); // SIGTERM undeploys the WAR as a container would
    // and gracefully, as Jetty's `graceful` module does: without a stop timeout Jetty closes the
    // connections before undeploying, and WebSocket clients see 1006 instead of 1001 going away
    server.setStopTimeout(5_000);
    server.start();
    server.join();
  }
}
