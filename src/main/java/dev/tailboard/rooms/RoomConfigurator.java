package dev.tailboard.rooms;

import dev.tailboard.auth.Caller;
import dev.tailboard.auth.InvalidTokenException;
import dev.tailboard.auth.OriginPolicy;
import dev.tailboard.auth.TokenLocator;
import dev.tailboard.auth.TokenService;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import dev.tailboard.net.ClientOutputs;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Unmanaged;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The handshake of a room socket: refuses foreign Origins with 403 (cross-site WebSocket
 * hijacking), reads the token (cookie, Bearer header, or query where allowed), and creates the
 * endpoint through CDI so it is injected on every container (Jetty and Tomcat with Weld servlet do
 * not inject endpoints themselves).
 */
public class RoomConfigurator extends ServerEndpointConfig.Configurator {

  /** The user property that carries this handshake's {@link Handshake} to {@code @OnOpen}. */
  static final String HANDSHAKE = "tailboard.handshake";

  private static final Logger LOG = Logger.getLogger(RoomConfigurator.class.getName());

  /**
   * Set once a handshake found another handshake's values in its user properties: this container
   * shares them between handshakes (Jakarta WebSocket 2.0 allowed it; 2.1 requires a copy per
   * connection), so two concurrent handshakes could swap callers. From then on every room
   * connection is refused (1011) rather than risk one member acting as another.
   */
  private static volatile boolean sharedProperties;

  @Override
  public boolean checkOrigin(String origin) {
    OriginPolicy policy = CDI.current().select(OriginPolicy.class).get();
    return policy.allows(origin, ownOrigin(policy));
  }

  /** The server's own origin for this handshake, from the request Weld keeps for this thread. */
  private static String ownOrigin(OriginPolicy policy) {
    try {
      HttpServletRequest request = CDI.current().select(HttpServletRequest.class).get();
      return policy.ownOrigin(request.getScheme(), request.getHeader("Host"));
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
    boolean allowQuery =
        CDI.current().select(Config.class).get().bool(Setting.AUTH_ALLOW_QUERY_TOKEN);
    var found = TokenLocator.find(request.getHeaders(), request.getParameterMap(), allowQuery);
    Caller caller = Caller.ANONYMOUS;
    String authError = null;
    if (found.isPresent()) {
      try {
        caller = CDI.current().select(TokenService.class).get().verify(found.get().token());
      } catch (InvalidTokenException e) {
        authError = e.getMessage();
      }
    }
    record(config.getUserProperties(), new Handshake(caller, authError, clientAddress(config)));
  }

  /**
   * Puts the handshake's values into its user properties as one object. Finding one there already
   * means the map is not this handshake's own copy (nothing else puts it into the shared config).
   */
  static void record(Map<String, Object> userProperties, Handshake handshake) {
    if (userProperties.containsKey(HANDSHAKE) && !sharedProperties) {
      sharedProperties = true;
      LOG.severe(
          "this container shares ServerEndpointConfig user properties between handshakes"
              + " (Jakarta WebSocket 2.1 requires a copy per connection): room connections are"
              + " refused with 1011, since callers of concurrent handshakes could swap");
    }
    userProperties.put(HANDSHAKE, handshake);
  }

  /**
   * The handshake of an opened connection, read from the session's own user properties (which the
   * spec fills from the handshake's); null when the container shares them between handshakes. The
   * flag is read after the value: a handshake that overwrote it set the flag before writing.
   */
  static Handshake handshake(Map<String, Object> sessionProperties) {
    Object found = sessionProperties.get(HANDSHAKE);
    if (sharedProperties || !(found instanceof Handshake h)) {
      return null;
    }
    return h;
  }

  /** Only for tests: forget that a container shared its user properties. */
  static void forgetSharedProperties() {
    sharedProperties = false;
  }

  /**
   * The client's address, as SSE streams count it ({@link ClientOutputs#clientAddress}), from the
   * request Weld keeps for this thread; else the peer address Jetty puts into the properties; else
   * null (logged once): one shared "unknown" address would let a few clients lock out everyone.
   */
  private static String clientAddress(ServerEndpointConfig config) {
    try {
      HttpServletRequest request = CDI.current().select(HttpServletRequest.class).get();
      return CDI.current().select(ClientOutputs.class).get().clientAddress(request);
    } catch (RuntimeException e) {
      Object peer = config.getUserProperties().get(JETTY_REMOTE_ADDRESS);
      if (peer instanceof InetSocketAddress address && address.getAddress() != null) {
        return address.getAddress().getHostAddress();
      }
      if (!addressUnknownLogged) {
        addressUnknownLogged = true;
        LOG.log(
            Level.WARNING,
            "no client address in a room handshake: room sockets are not bounded per address",
            e);
      }
      return null;
    }
  }

  private static volatile boolean addressUnknownLogged;

  private static final String JETTY_REMOTE_ADDRESS = "jakarta.websocket.endpoint.remoteAddress";

  @Override
  public <T> T getEndpointInstance(Class<T> type) {
    // The endpoint holds only an injected application-scoped service: nothing to dispose.
    return new Unmanaged<>(type).newInstance().produce().inject().postConstruct().get();
  }
}
