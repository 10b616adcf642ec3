package io.herald.service.reportlistener;

import io.herald.store.mysql.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of the report listener. Blocking; called from the tail's virtual thread. */
final class ReportStore {
  private static final String COLUMNS =
      "seq, UNIX_TIMESTAMP(ts) AS ts_epoch, id, team, latitude, longitude, x, y, action_id";

  /** The persisted checkpoint: the frontier and the seqs above it already broadcast. */
  record State(long frontier, List<Long> deliveredAbove) {}

  private final Database db;
  private final String service;

  ReportStore(Database db, String service) {
    this.db = db;
    this.service = service;
  }

  long latestSeq() throws SQLException {
    try (Connection c = db.connection();
        ResultSet rs =
            c.createStatement().executeQuery("SELECT COALESCE(MAX(seq), 0) FROM reports")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  Optional<State> loadState() throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT last_processed_seq FROM service_state WHERE service_name = ?");
        PreparedStatement d =
            c.prepareStatement(
                "SELECT seq FROM herald_tail_delivered WHERE service_name = ? ORDER BY seq")) {
      p.setString(1, service);
      long frontier;
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next()) return Optional.empty();
        frontier = rs.getLong(1);
      }
      d.setString(1, service);
      List<Long> above = new ArrayList<>();
      try (ResultSet rs = d.executeQuery()) {
        while (rs.next()) above.add(rs.getLong(1));
      }
      return Optional.of(new State(frontier, above));
    }
  }

  /**
   * Rows with seq in (after, upTo], oldest first, at most {@code limit}: one indexed range scan on
   * the key.
   */
  List<ReportRow> range(long after, long upTo, int limit) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM reports WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
      p.setLong(1, after);
      p.setLong(2, upTo);
      p.setInt(3, limit);
      List<ReportRow> rows = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) rows.add(row(rs));
      }
      return rows;
    }
  }

  private static ReportRow row(ResultSet rs) throws SQLException {
    float x = rs.getFloat("x");
    Float fx = rs.wasNull() ? null : x;
    float y = rs.getFloat("y");
    Float fy = rs.wasNull() ? null : y;
    return new ReportRow(
        rs.getLong("seq"),
        Instant.ofEpochSecond(rs.getLong("ts_epoch")),
        rs.getString("id"),
        rs.getInt("team"),
        rs.getFloat("latitude"),
        rs.getFloat("longitude"),
        fx,
        fy,
        rs.getString("action_id"));
  }

  /**
   * Stores the checkpoint in one transaction. The checkpoint never moves backwards (GREATEST), so
   * several instances can share the row.
   */
  void save(State s) throws SQLException {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement up =
              c.prepareStatement(
                  "INSERT INTO service_state (service_name, last_processed_seq) VALUES (?, ?) "
                      + "ON DUPLICATE KEY UPDATE last_processed_seq = "
                      + "GREATEST(last_processed_seq, VALUES(last_processed_seq))");
          PreparedStatement del =
              c.prepareStatement("DELETE FROM herald_tail_delivered WHERE service_name = ?");
          PreparedStatement ins =
              c.prepareStatement(
                  "INSERT IGNORE INTO herald_tail_delivered (service_name, seq) VALUES (?, ?)")) {
        up.setString(1, service);
        up.setLong(2, s.frontier());
        up.executeUpdate();
        del.setString(1, service);
        del.executeUpdate();
        for (long seq : s.deliveredAbove()) {
          ins.setString(1, service);
          ins.setLong(2, seq);
          ins.addBatch();
        }
        ins.executeBatch();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Whether a transaction that started at least {@code age} ago is still open: it could still
   * commit a row into a gap noticed since. Needs the PROCESS privilege; without it (an access
   * error, SQL state class 42) the answer is false and the grace period alone decides. Any other
   * failure (a dropped connection, a timeout) answers true: the gap is held until it can be asked
   * again, since passing it while its row may still commit would lose that row.
   */
  boolean olderTransactionOpen(Duration age) {
    try (Connection c = db.connection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_started <= NOW() - INTERVAL ? SECOND")) {
      p.setLong(1, Math.max(0, age.toSeconds()));
      try (ResultSet rs = p.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      String state = e.getSQLState();
      return state == null || !state.startsWith("42");
    }
  }
}
