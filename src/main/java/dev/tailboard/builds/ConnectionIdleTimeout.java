package dev.tailboard.builds;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lengthens the idle timeout of one upload's connection where the container lets an application do
 * that, and puts it back afterwards. Jetty 12 fails a pending non-blocking read once its
 * connector's idle timeout (30 s by default, also under {@code mvn jetty:run}) passes without a
 * byte, and offers {@code ServletChannel.setIdleTimeout} for exactly this; the servlet API has no
 * such call, and the WAR cannot link against Jetty (it runs on Tomcat too), so it is reached by
 * reflection through public Jetty methods only. Elsewhere this does nothing: docs/ingest.md says
 * which container needs which setting instead.
 */
final class ConnectionIdleTimeout {

  private static final Logger LOG = Logger.getLogger(ConnectionIdleTimeout.class.getName());
  private static final ConnectionIdleTimeout NONE = new ConnectionIdleTimeout(null, null, 0);

  private final Object channel;
  private final Method setter;
  private final long previous;

  private ConnectionIdleTimeout(Object channel, Method setter, long previous) {
    this.channel = channel;
    this.setter = setter;
    this.previous = previous;
  }

  /**
   * Sets the idle timeout of {@code request}'s connection to at least {@code millis}; {@link
   * #restore} undoes it. A no-op where the container has no such knob.
   */
  static ConnectionIdleTimeout raise(ServletRequest request, long millis) {
    ServletRequest base = request;
    while (base instanceof ServletRequestWrapper wrapper) {
      base = wrapper.getRequest();
    }
    try {
      // Jetty 12 ee10/ee11: ServletApiRequest -> ServletContextRequest -> ServletChannel
      Object info = call(base, "getServletRequestInfo");
      Object channel = info == null ? null : call(info, "getServletChannel");
      if (channel == null) {
        return NONE;
      }
      long previous = (Long) call(channel, "getIdleTimeout");
      Method setter = method(channel, "setIdleTimeout", long.class);
      if (previous > 0 && previous < millis) {
        setter.invoke(channel, millis);
        return new ConnectionIdleTimeout(channel, setter, previous);
      }
      return NONE;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "no per-connection idle timeout on " + base.getClass().getName(), e);
      return NONE;
    }
  }

  /** Puts the connection's idle timeout back, so the next request on it gets the usual one. */
  void restore() {
    if (channel == null) {
      return;
    }
    try {
      setter.invoke(channel, previous);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "could not restore the idle timeout", e);
    }
  }

  private static Object call(Object target, String name) throws ReflectiveOperationException {
    Method m = method(target, name);
    return m == null ? null : m.invoke(target);
  }

  /**
   * A public method, looked up on a public type of the object's hierarchy: the object's own class
   * may be package-private, and then its methods cannot be invoked through it.
   */
  private static Method method(Object target, String name, Class<?>... parameters) {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      Method m = publicMethod(c, name, parameters);
      if (m != null) {
        return m;
      }
      for (Class<?> i : c.getInterfaces()) {
        m = publicMethod(i, name, parameters);
        if (m != null) {
          return m;
        }
      }
    }
    return null;
  }

  private static Method publicMethod(Class<?> type, String name, Class<?>... parameters) {
    if (!Modifier.isPublic(type.getModifiers())) {
      return null;
    }
    try {
      return type.getMethod(name, parameters);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }
}
