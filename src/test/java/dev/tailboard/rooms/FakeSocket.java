package dev.tailboard.rooms;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A fake JSR 356 session: records what was sent and closed, completes sends as told. */
final class FakeSocket {
  final String id;
  final boolean completesInline;
  final Object forbiddenLock;
  final List<String> sent = new CopyOnWriteArrayList<>();
  final List<SendHandler> pending = new ArrayList<>();
  final List<CloseReason> closes = new ArrayList<>();
  final List<Long> idleTimeouts = new ArrayList<>();

  /** Runs inside sendPing, as the ticker would while a thread waits there. */
  Runnable duringPing;

  int pings;
  boolean sentUnderLock;
  boolean open = true;

  FakeSocket(String id, boolean completesInline, Object forbiddenLock) {
    this.id = id;
    this.completesInline = completesInline;
    this.forbiddenLock = forbiddenLock;
  }

  Session session() {
    RemoteEndpoint.Async async =
        (RemoteEndpoint.Async)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "sendText" -> {
                      sentUnderLock |= Thread.holdsLock(forbiddenLock);
                      sent.add((String) args[0]);
                      SendHandler handler = (SendHandler) args[1];
                      if (completesInline) {
                        handler.onResult(new SendResult());
                      } else {
                        pending.add(handler);
                      }
                    }
                    case "sendPing" -> {
                      if (duringPing != null) {
                        duringPing.run();
                      }
                      pings++;
                    }
                    default -> {}
                  }
                  return null;
                });
    return (Session)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getId" -> id;
                  case "getAsyncRemote" -> async;
                  case "isOpen" -> open;
                  case "getUserProperties" -> new HashMap<String, Object>();
                  case "setMaxIdleTimeout" -> {
                    idleTimeouts.add((Long) args[0]);
                    yield null;
                  }
                  case "close" -> {
                    closes.add((CloseReason) args[0]);
                    open = false;
                    yield null;
                  }
                  default -> null;
                });
  }
}
