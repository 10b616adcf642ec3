package io.herald.bench.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inserts reports into a report-listener's database, as the application that owns the table would.
 * Each report's {@code id} is {@link System#nanoTime()} at insert, which the receiving clients turn
 * into insert-to-receipt latency ({@link RawClients}).
 */
public final class ReportInserter {
  private static final String INSERT =
      "INSERT INTO reports (id, team, latitude, longitude, x, y, image, action_id) VALUES ";
  private static final String ROW = "(?, 1, 40.7128, -74.006, 0.5, 0.25, x'00', 'bench')";
  private final String url;

  public ReportInserter(String url) {
    this.url = url;
  }

  /**
   * Inserts at {@code rate} reports/s for {@code seconds}, one autocommitted row per statement,
   * spread over {@code threads} connections (so commits overlap, as several application servers'
   * would).
   *
   * @return how many reports were committed
   */
  public long paced(double rate, double seconds, int threads, Progress progress)
      throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long total = (long) (rate * seconds);
    long start = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      int worker = w;
      workers.add(
          Thread.ofPlatform()
              .name("bench-insert-" + w)
              .start(
                  () -> {
                    try (Connection c = DriverManager.getConnection(url);
                        PreparedStatement p = c.prepareStatement(INSERT + ROW)) {
                      for (long i = worker; i < total; i += threads) {
                        long due = start + (long) (i * 1e9 / rate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        p.setString(1, Long.toString(System.nanoTime()));
                        p.executeUpdate();
                        done.incrementAndGet();
                      }
                    } catch (SQLException | InterruptedException e) {
                      throw new IllegalStateException("insert failed", e);
                    }
                  }));
    }
    for (Thread t : workers) {
      while (t.isAlive()) {
        progress.tick("inserting", done.get(), total);
        t.join(200);
      }
    }
    return done.get();
  }

  /**
   * Inserts {@code n} reports in one transaction, so they all become visible at once: a backlog.
   *
   * @return {@link System#nanoTime()} right after the commit
   */
  public long backlog(int n, Progress progress) throws SQLException {
    int perStatement = 1000;
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      String sql = INSERT + String.join(",", Collections.nCopies(perStatement, ROW));
      try (PreparedStatement p = c.prepareStatement(sql)) {
        for (int done = 0; done < n; done += perStatement) {
          for (int j = 1; j <= perStatement; j++) p.setString(j, Long.toString(System.nanoTime()));
          p.executeUpdate();
          progress.tick("inserting backlog", done + perStatement, n);
        }
      }
      c.commit();
      return System.nanoTime();
    }
  }

  /** Drops and creates the database the report-listener under test uses. */
  public static void freshDatabase(String adminUrl, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(adminUrl)) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + name);
      c.createStatement().execute("CREATE DATABASE " + name);
    }
  }
}
