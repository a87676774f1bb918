package dev.tailboard.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.servlet.ServletContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * The one configuration reader: system property, else environment variable, else servlet context
 * init-param, else the {@link Setting}'s default. Values are read on each call so tests and
 * operators see one rule; callers that are hot cache what they read.
 */
@ApplicationScoped
public class Config {

  private volatile Function<String, String> initParams = name -> null;
  private final Map<String, String> environment;

  /** Reads the servlet context's init-params before any other start-up observer runs. */
  void onStart(
      @Observes
          @Priority(Interceptor.Priority.PLATFORM_BEFORE)
          @Initialized(ApplicationScoped.class)
          ServletContext context) {
    initParams = context::getInitParameter;
  }

  /** For unit tests and tools that run without a servlet context. */
  public Config(Function<String, String> initParams, Map<String, String> environment) {
    this.initParams = initParams;
    this.environment = environment;
  }

  @Inject
  public Config() {
    this(name -> null, System.getenv());
  }

  public String string(Setting setting) {
    String value = System.getProperty(setting.propertyName());
    if (value == null) {
      value = environment.get(setting.environmentName());
    }
    if (value == null) {
      value = initParams.apply(setting.propertyName());
    }
    if (value == null) {
      value = setting.defaultValue();
    }
    return value.replace("${user.home}", System.getProperty("user.home"));
  }

  public int integer(Setting setting) {
    return number(setting, Integer::parseInt);
  }

  /** A whole number that may pass {@code int}, such as a byte count. */
  public long longNumber(Setting setting) {
    return number(setting, Long::parseLong);
  }

  private <T> T number(Setting setting, Function<String, T> parse) {
    String value = string(setting);
    try {
      return parse.apply(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "Setting " + setting.propertyName() + " must be a whole number, not '" + value + "'", e);
    }
  }

  public boolean bool(Setting setting) {
    return Boolean.parseBoolean(string(setting).trim());
  }

  public Path dataDir() {
    return Path.of(string(Setting.DATA_DIR)).toAbsolutePath();
  }
}
