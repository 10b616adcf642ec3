package io.herald.store.mysql;

/**
 * A MariaDB/MySQL connection. {@link #toString} never shows the password.
 *
 * @param maxPoolSize connections in the pool
 */
public record DatabaseConfig(
    String host, int port, String user, String password, String database, int maxPoolSize) {
  public String jdbcUrl() {
    return "jdbc:mariadb://" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "DatabaseConfig["
        + user
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database
        + ", password=***, pool="
        + maxPoolSize
        + "]";
  }
}
