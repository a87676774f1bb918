package dev.tailboard.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tailboard.config.Config;
import dev.tailboard.config.Setting;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    hikari.setJdbcUrl(url());
    hikari.setUsername(config.string(Setting.DB_USER));
    hikari.setPassword(config.string(Setting.DB_PASSWORD));
    hikari.setMaximumPoolSize(config.integer(Setting.DB_POOL_SIZE));
    hikari.setAutoCommit(true);
    HikariDataSource pool = new HikariDataSource(hikari);
    Flyway.configure().dataSource(pool).load().migrate();
    return pool;
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
    Path dir = config.dataDir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create data directory " + dir, e);
    }
    // WRITE_DELAY=0: a commit reaches the file before it returns, so an acknowledged event
    // survives kill -9. DB_CLOSE_ON_EXIT=FALSE: the pool closes it on undeploy instead.
    return "jdbc:h2:file:" + dir.resolve("tailboard") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  @PreDestroy
  synchronized void close() {
    if (dataSource != null) {
      dataSource.close();
      dataSource = null;
    }
  }
}
