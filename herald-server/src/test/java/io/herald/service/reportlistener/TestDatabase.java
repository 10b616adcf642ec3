package io.herald.service.reportlistener;

import io.herald.store.mysql.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A fresh database on the machine's real MariaDB (127.0.0.1:3306, root, no password), dropped on
 * close.
 */
final class TestDatabase implements AutoCloseable {
  static final String ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/";
  final String name = "herald_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  TestDatabase() throws SQLException {
    try (Connection c = admin()) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
  }

  DatabaseConfig config() {
    return new DatabaseConfig("127.0.0.1", 3306, "root", "", name, 4);
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(ADMIN_URL + name, "root", "");
  }

  static Connection admin() throws SQLException {
    return DriverManager.getConnection(ADMIN_URL, "root", "");
  }

  /**
   * Inserts one report on {@code c} (committed or not, as the connection's transaction mode says).
   */
  static void insert(Connection c, String id) throws SQLException {
    insertInto(c, "reports", id);
  }

  static void insertInto(Connection c, String table, String id) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " (id, team, latitude, longitude, x, y, image, action_id) "
                + "VALUES (?, 1, 40.7128, -74.006, 0.5, NULL, ?, 'action123')")) {
      p.setString(1, id);
      p.setBytes(2, new byte[] {1, 2, 3});
      p.executeUpdate();
    }
  }

  long checkpoint(String service) throws SQLException {
    try (Connection c = connect();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT last_processed_seq FROM service_state WHERE service_name = '"
                        + service
                        + "'")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /**
   * Kills every session on this database but {@code keep}'s: the listener's pool loses all its
   * connections.
   */
  void killConnectionsExcept(Connection keep) throws SQLException {
    long own;
    try (var rs = keep.createStatement().executeQuery("SELECT CONNECTION_ID()")) {
      rs.next();
      own = rs.getLong(1);
    }
    try (Connection c = admin();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT id FROM information_schema.processlist WHERE db = '"
                        + name
                        + "' AND id <> "
                        + own)) {
      while (rs.next()) {
        try (var k = admin()) {
          k.createStatement().execute("KILL " + rs.getLong(1));
        }
      }
    }
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = admin()) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + name);
    }
  }
}
