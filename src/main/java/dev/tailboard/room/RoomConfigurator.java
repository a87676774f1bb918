package dev.tailboard.room;

import dev.tailboard.auth.Caller;
import dev.tailboard.auth.InvalidTokenException;
import dev.tailboard.auth.OriginPolicy;
import dev.tailboard.auth.TokenLocator;
import dev.tailboard.auth.TokenService;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Unmanaged;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The handshake of a room socket: refuses foreign Origins with 403 (cross-site WebSocket
 * hijacking), reads the token (cookie, Bearer header, or query where allowed), and creates the
 * endpoint through CDI so it is injected on every container (Jetty and Tomcat with Weld servlet do
 * not inject endpoints themselves).
 */
public class RoomConfigurator extends ServerEndpointConfig.Configurator {

  static final String CALLER = "tailboard.caller";
  static final String AUTH_ERROR = "tailboard.authError";

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
    config.getUserProperties().remove(AUTH_ERROR);
    config.getUserProperties().put(CALLER, Caller.ANONYMOUS);
    if (found.isPresent()) {
      try {
        Caller caller = CDI.current().select(TokenService.class).get().verify(found.get().token());
        config.getUserProperties().put(CALLER, caller);
      } catch (InvalidTokenException e) {
        config.getUserProperties().put(AUTH_ERROR, e.getMessage());
      }
    }
  }

  @Override
  public <T> T getEndpointInstance(Class<T> type) {
    // The endpoint holds only an injected application-scoped service: nothing to dispose.
    return new Unmanaged<>(type).newInstance().produce().inject().postConstruct().get();
  }
}
