package io.herald.service.reportlistener;

import io.herald.store.mysql.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * Which node tails the table: the one holding a MariaDB named lock ({@code GET_LOCK}) on a
 * connection of its own. The database frees the lock the moment that connection ends, so when the
 * tailing node dies (even by SIGKILL, its sockets closed by the kernel) another node gets it at its
 * next try. Only the tail's thread calls it.
 */
final class Leadership {
  private final Database db;
  private final String lock;
  private Connection held;

  /**
   * @param lock the lock's name, from {@link #lockName}
   */
  Leadership(Database db, String lock) {
    this.db = db;
    this.lock = lock;
  }

  /**
   * The lock of the checkpoint {@code name} (HERALD_SERVICE_NAME) in {@code database}: nodes that
   * share a checkpoint share the lock. MariaDB's named locks are server-wide, so the database is
   * part of the name: deployments that tail tables of different databases on one server each have a
   * tailing node. Names longer than MariaDB's 64 characters are hashed.
   */
  static String lockName(String database, String name) {
    String plain = "herald:report-tail:" + database + ":" + name;
    if (plain.length() <= 64) return plain;
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((database + "\0" + name).getBytes(StandardCharsets.UTF_8));
      return "herald:report-tail:" + HexFormat.of().formatHex(d).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Takes the lock if it is free; true when this node holds it (already did, or just took it). */
  boolean tryAcquire() throws SQLException {
    if (held != null) return true;
    Connection c = db.connection();
    boolean got = false;
    try (PreparedStatement p = c.prepareStatement("SELECT GET_LOCK(?, 0)")) {
      p.setString(1, lock);
      try (ResultSet rs = p.executeQuery()) {
        got = rs.next() && rs.getInt(1) == 1;
      }
    } finally {
      if (got) held = c;
      else c.close();
    }
    return got;
  }

  /**
   * Whether this node still holds the lock: its connection is alive and the database names it as
   * the lock's owner. Checked before each round, so a node that lost its connection stops
   * publishing before another one starts.
   */
  boolean stillHeld() {
    if (held == null) return false;
    try (PreparedStatement p = held.prepareStatement("SELECT IS_USED_LOCK(?) = CONNECTION_ID()")) {
      p.setString(1, lock);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next() && rs.getInt(1) == 1) return true;
      }
    } catch (SQLException e) {
      // the connection is gone, and the lock with it
    }
    release();
    return false;
  }

  /** Gives the lock back (a graceful stop, or after it was lost). */
  void release() {
    Connection c = held;
    held = null;
    if (c == null) return;
    try (c;
        PreparedStatement p = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
      p.setString(1, lock);
      p.executeQuery().close();
    } catch (SQLException e) {
      // closing the connection frees it anyway
    }
  }
}
