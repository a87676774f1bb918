package dev.tailboard.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tailboard.config.Config;
import dev.tailboard.config.OwnerOnly;
import dev.tailboard.config.Setting;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Properties;
import java.util.ServiceLoader;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The connection pool, migrated with Flyway before first use. Without {@code db.url} it is an
 * embedded H2 database in file mode under {@code dataDir}, which needs no set-up.
 */
@ApplicationScoped
public class Database {

  private HikariDataSource dataSource;

  @Inject Config config;

  public synchronized DataSource dataSource() {
    if (dataSource == null) {
      dataSource = open();
    }
    return dataSource;
  }

  private HikariDataSource open() {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("tailboard-db");
    String url = url();
    hikari.setJdbcUrl(url);
    String driver = driverFor(url);
    if (driver != null) {
      hikari.setDriverClassName(driver);
    }
    hikari.setUsername(config.string(Setting.DB_USER));
    hikari.setPassword(config.string(Setting.DB_PASSWORD));
    hikari.setMaximumPoolSize(config.integer(Setting.DB_POOL_SIZE));
    hikari.setAutoCommit(true);
    HikariDataSource pool = new HikariDataSource(hikari);
    Flyway.configure().dataSource(pool).load().migrate();
    // only the files of the default URL are in the data directory: a configured H2 URL (in
    // memory, or a file elsewhere) is the operator's, and the data directory may not even exist
    if (config.string(Setting.DB_URL).isBlank()) {
      restrictDatabaseFiles(config.dataDir());
    }
    return pool;
  }

  /**
   * H2 creates its files with the process's umask: once they exist, they become owner-only like the
   * directory they are in ({@code tailboard.mv.db}, and the trace and lock files when there).
   */
  static void restrictDatabaseFiles(Path dir) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "tailboard.*")) {
      for (Path file : files) {
        if (Files.isRegularFile(file)) {
          OwnerOnly.file(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the data directory " + dir, e);
    }
  }

  /**
   * The class of the JDBC driver in the WAR that takes this URL, found through the WAR's own class
   * loader: Tomcat initialises {@code DriverManager} from its common class loader before any WAR is
   * deployed, so {@code DriverManager} never sees the drivers in {@code WEB-INF/lib} there ("Failed
   * to get driver instance"). Null leaves the choice to {@code DriverManager}.
   */
  static String driverFor(String url) {
    for (Driver driver : ServiceLoader.load(Driver.class, Database.class.getClassLoader())) {
      try {
        if (driver.acceptsURL(url)) {
          return driver.getClass().getName();
        }
      } catch (SQLException e) {
        // not this one
      }
    }
    return null;
  }

  /**
   * A connection of its own, outside the pool, for a session that lives as long as the node (the
   * cluster bus's {@code LISTEN}): a pooled one would be retired under it.
   */
  public Connection connectOutsidePool() throws SQLException {
    String url = url();
    String driverClass = driverFor(url);
    if (driverClass == null) {
      return DriverManager.getConnection(
          url, config.string(Setting.DB_USER), config.string(Setting.DB_PASSWORD));
    }
    Properties props = new Properties();
    props.setProperty("user", config.string(Setting.DB_USER));
    props.setProperty("password", config.string(Setting.DB_PASSWORD));
    if (postgres()) {
      // pg_stat_activity tells operators (and tests) which connection this is
      props.setProperty("ApplicationName", "tailboard-bus");
    }
    try {
      Driver driver =
          (Driver)
              Class.forName(driverClass, true, Database.class.getClassLoader())
                  .getDeclaredConstructor()
                  .newInstance();
      return driver.connect(url, props);
    } catch (ReflectiveOperationException e) {
      throw new SQLException("cannot load " + driverClass, e);
    }
  }

  /** True on PostgreSQL: the database several nodes can share. */
  public boolean postgres() {
    return url().startsWith("jdbc:postgresql:");
  }

  /** True when the embedded H2 database is in use. */
  public boolean embedded() {
    return url().startsWith("jdbc:h2:");
  }

  private String url() {
    String url = config.string(Setting.DB_URL);
    if (!url.isBlank()) {
      return url;
    }
    Path dir = OwnerOnly.directory(config.dataDir());
    // WRITE_DELAY=0: a commit reaches the file before it returns, so an acknowledged event
    // survives kill -9. DB_CLOSE_ON_EXIT=FALSE: the pool closes it on undeploy instead.
    // LAZY_QUERY_EXECUTION: rows are read as the result set is walked, so a replay page that
    // stops at its byte bound does not make H2 read (and copy) the rows after it
    return "jdbc:h2:file:"
        + dir.resolve("tailboard")
        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LAZY_QUERY_EXECUTION=TRUE";
  }

  @PreDestroy
  synchronized void close() {
    if (dataSource != null) {
      dataSource.close();
      dataSource = null;
    }
    // drivers in WEB-INF/lib register themselves with DriverManager, which outlives the WAR: a
    // redeploy would keep the old class loader alive through them (Tomcat warns of the leak)
    for (Driver driver : Collections.list(DriverManager.getDrivers())) {
      if (driver.getClass().getClassLoader() == Database.class.getClassLoader()) {
        try {
          DriverManager.deregisterDriver(driver);
        } catch (SQLException e) {
          // undeploying anyway
        }
      }
    }
  }
}
