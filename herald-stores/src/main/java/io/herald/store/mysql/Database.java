package io.herald.store.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * A pooled MariaDB connection (HikariCP) whose schema is brought up to date by Flyway migrations
 * from one classpath folder, each service with its own history table so services and the user's own
 * Flyway never clash. Blocking: use from virtual threads, never from an event loop.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /**
   * Opens the pool lazily: it does not fail when the database is down, so a service can start,
   * report itself unhealthy and catch up when the database returns.
   */
  public static Database open(DatabaseConfig c, String poolName) {
    return open(c, poolName, c.maxPoolSize());
  }

  /**
   * As {@link #open(DatabaseConfig, String)}, keeping at most {@code minIdle} idle connections
   * warm.
   */
  public static Database open(DatabaseConfig c, String poolName, int minIdle) {
    HikariConfig h = new HikariConfig();
    h.setMinimumIdle(Math.min(minIdle, c.maxPoolSize()));
    h.setJdbcUrl(c.jdbcUrl());
    h.setUsername(c.user());
    h.setPassword(c.password());
    h.setMaximumPoolSize(c.maxPoolSize());
    h.setPoolName(poolName);
    h.setInitializationFailTimeout(-1);
    h.setConnectionTimeout(5_000);
    h.setValidationTimeout(2_000);
    return new Database(new HikariDataSource(h));
  }

  /** Applies the migrations in {@code classpath:db/<folder>}; creates only what is missing. */
  public void migrate(String folder) {
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/" + folder)
        .table("herald_" + folder + "_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0") // an existing application schema is expected
        .load()
        .migrate();
  }

  public Connection connection() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public void close() {
    pool.close();
  }
}
