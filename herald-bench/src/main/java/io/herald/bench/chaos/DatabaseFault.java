package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import io.herald.bench.load.ReportInserter;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.Ports;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * report-listener while the machine's MariaDB stops and starts again mid-tail: reports are inserted
 * at {@code rate} per second (one autocommitted row each; an insert whose commit was not confirmed
 * is not owed), resuming clients read them; a third of the way in MariaDB is shut down for 5 s.
 * Every confirmed report must reach every client once, in order, with the clients never
 * disconnected for it.
 */
final class DatabaseFault {
  private static final String DATABASE = "herald_chaos_reports";
  private static final String URL =
      "jdbc:mariadb://127.0.0.1:3306/"
          + DATABASE
          + "?user=root&password=&connectTimeout=1000&socketTimeout=3000";
  private static final String STOP = "mariadb-admin -uroot --protocol=tcp -h127.0.0.1 shutdown";
  private static final String START =
      "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd";
  private static final String PING = "mariadb-admin -uroot --protocol=tcp -h127.0.0.1 ping";
  private final ChaosConfig config;
  private final HttpClient http;
  private final Progress progress;
  private final Faults faults;

  DatabaseFault(ChaosConfig config, HttpClient http, Progress progress, Faults faults) {
    this.config = config;
    this.http = http;
    this.progress = progress;
    this.faults = faults;
  }

  Tally run() throws Exception {
    if (!Shell.run(10, PING).ok())
      return Tally.skipped("mariadb-restart", "MariaDB is not running on 127.0.0.1:3306");
    ReportInserter.freshDatabase("jdbc:mariadb://127.0.0.1:3306/?user=root&password=", DATABASE);
    int port = Ports.free();
    Target target =
        new Target(
            "herald",
            List.of(config.root().resolve("herald").toString(), "report-listener"),
            Map.of(
                "HERALD_HOST",
                "127.0.0.1",
                "DB_HOST",
                "127.0.0.1",
                "DB_USER",
                "root",
                "DB_PASSWORD",
                "",
                "DB_NAME",
                DATABASE,
                "BROADCAST_INTERVAL",
                "200ms"));
    RunningTarget server = RunningTarget.start(target, port, config.out());
    long start = topSeq();
    Ledger ledger = new Ledger();
    List<ResumingClient> all = new ArrayList<>();
    for (int i = 0; i < config.clients(); i++)
      all.add(new ResumingClient(http, port, ResumingClient.Dialect.REPORTS, start));
    all.forEach(c -> c.connect().join());
    AtomicLong attempted = new AtomicLong();
    Thread inserter = Thread.ofVirtual().start(() -> insert(ledger, attempted));
    Faults.sleep((long) (config.seconds() * 1000 / 3));
    progress.line(
        "mariadb-restart: shutting MariaDB down for 5 s while reports are inserted and tailed");
    Shell.Result stop = Shell.run(60, STOP);
    Faults.sleep(5_000);
    Shell.Result started = Shell.run(30, START);
    long t0 = System.nanoTime();
    while (!Shell.run(5, PING).ok() && System.nanoTime() - t0 < 60e9) Faults.sleep(200);
    progress.line(
        "mariadb-restart: MariaDB answers again after "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms"
            + (stop.ok() && started.ok()
                ? ""
                : " (stop: " + stop.output() + "; start: " + started.output() + ")"));
    inserter.join();
    boolean caughtUp = faults.awaitCaughtUp("mariadb-restart", all, ledger);
    Tally t = Faults.tally("mariadb-restart", all, ledger, attempted.get(), "", "");
    long reconnects = t.reconnects();
    all.forEach(ResumingClient::stop);
    server.close();
    return t.judged(
        stop.ok(),
        ledger.refused.get() + " inserts refused while down",
        (caughtUp ? "all clients caught up" : "clients behind")
            + "; "
            + (reconnects == 0 ? "no client was disconnected" : reconnects + " reconnects"));
  }

  private static long topSeq() throws SQLException {
    try (Connection c = DriverManager.getConnection(URL);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM reports")) {
      r.next();
      return r.getLong(1);
    }
  }

  /**
   * Paced inserts; a failed one (the database is down) reconnects on the next and is not owed to
   * anyone.
   */
  private void insert(Ledger ledger, AtomicLong attempted) {
    Pace pace = new Pace(config.rate(), config.seconds());
    Connection c = null;
    PreparedStatement p = null;
    for (long i = 0; i < pace.ticks; i++) {
      pace.await(i);
      attempted.incrementAndGet();
      try {
        if (c == null) {
          c = DriverManager.getConnection(URL);
          p =
              c.prepareStatement(
                  "INSERT INTO reports (id, team, latitude, longitude, x, y, image, action_id) "
                      + "VALUES ('chaos', 1, 40.7, -74.0, 0.5, 0.25, x'00', 'chaos')",
                  Statement.RETURN_GENERATED_KEYS);
        }
        p.executeUpdate();
        try (ResultSet keys = p.getGeneratedKeys()) {
          keys.next();
          ledger.accepted.add(keys.getLong(1));
        }
      } catch (SQLException e) {
        ledger.refused.incrementAndGet();
        close(c);
        c = null;
      }
    }
    close(c);
  }

  private static void close(Connection c) {
    try {
      if (c != null) c.close();
    } catch (SQLException ignored) {
      // the server is gone already
    }
  }
}
