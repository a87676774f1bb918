package dev.tailboard.rooms;

import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The collaboration room socket, {@code /ws/rooms/{room}}. Kept thin: it hands every event to the
 * {@link RoomService}, which owns all state; this instance holds nothing but the service.
 */
@ServerEndpoint(value = "/ws/rooms/{room}", configurator = RoomConfigurator.class)
public class RoomEndpoint {

  private static final Logger LOG = Logger.getLogger(RoomEndpoint.class.getName());

  @Inject RoomService rooms;

  @OnOpen
  public void open(Session session, @PathParam("room") String room) {
    // the session's own properties, not the EndpointConfig's: the spec makes the former the copy
    // of this handshake's, while the latter may be the endpoint's config shared by every session
    rooms.open(session, room, RoomConfigurator.handshake(session.getUserProperties()));
  }

  @OnMessage
  public void text(Session session, String text) {
    rooms.message(session, text);
  }

  @OnMessage
  public void pong(Session session, PongMessage pong) {
    rooms.pong(session);
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    rooms.closed(session);
  }

  @OnError
  public void error(Session session, Throwable error) {
    LOG.log(Level.FINE, "room socket error", error);
  }
}
