package io.herald.bench.scenario;

import io.herald.bench.load.Progress;
import io.herald.bench.load.RawClients;
import io.herald.bench.load.ReportInserter;
import io.herald.bench.report.ReportsResult;
import io.herald.bench.target.ProcStats;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report-listener's targets (issue 3): insert-to-client latency under paced inserts, and the
 * catch-up rate of a backlog. Herald alone: the seed's Go service is not available here to run
 * beside it.
 */
final class ReportScenarios {
  static final String PATH = "/api/v3/reports/listen";
  private static final String ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/?user=root&password=";
  private static final String DATABASE = "herald_bench_reports";

  private ReportScenarios() {}

  static Target target(Path root, long intervalMillis) {
    return new Target(
        "herald",
        List.of(root.resolve("herald").toString(), "report-listener"),
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
            intervalMillis + "ms"));
  }

  static ReportInserter freshDatabase() throws SQLException {
    ReportInserter.freshDatabase(ADMIN_URL, DATABASE);
    return new ReportInserter("jdbc:mariadb://127.0.0.1:3306/" + DATABASE + "?user=root&password=");
  }

  static ReportsResult paced(
      RunningTarget rt,
      RawClients pool,
      ReportInserter db,
      int clients,
      double rate,
      double seconds,
      long intervalMillis,
      Progress p)
      throws InterruptedException {
    pool.latency.reset();
    long r0 = pool.received.sum(), ro0 = pool.reordered.sum();
    ProcStats s0 = rt.stats();
    long start = System.nanoTime();
    long inserted = db.paced(rate, seconds, 4, p);
    long end = Steps.drain(pool, r0, inserted * clients, intervalMillis * 3);
    return result(
        "reports",
        rt,
        pool,
        clients,
        rate,
        inserted,
        r0,
        ro0,
        s0,
        inserted / ((end - start) / 1e9),
        intervalMillis,
        p);
  }

  static ReportsResult catchup(
      RunningTarget rt,
      RawClients pool,
      ReportInserter db,
      int clients,
      int backlog,
      long intervalMillis,
      Progress p)
      throws Exception {
    pool.latency.reset();
    long r0 = pool.received.sum(), ro0 = pool.reordered.sum();
    ProcStats s0 = rt.stats();
    long committed = db.backlog(backlog, p);
    long end = Steps.drain(pool, r0, (long) backlog * clients, intervalMillis * 3 + 2000);
    return result(
        "catchup",
        rt,
        pool,
        clients,
        0,
        backlog,
        r0,
        ro0,
        s0,
        backlog / ((end - committed) / 1e9),
        intervalMillis,
        p);
  }

  private static ReportsResult result(
      String scenario,
      RunningTarget rt,
      RawClients pool,
      int clients,
      double rate,
      long inserted,
      long r0,
      long ro0,
      ProcStats s0,
      double perSec,
      long intervalMillis,
      Progress p) {
    ProcStats s1 = rt.stats();
    long delivered = pool.received.sum() - r0, expected = inserted * clients;
    boolean paced = scenario.equals("reports");
    ReportsResult r =
        new ReportsResult(
            scenario,
            rt.target.name(),
            clients,
            rate,
            inserted,
            delivered,
            expected == 0 ? 0 : 100.0 * (expected - delivered) / expected,
            pool.reordered.sum() - ro0,
            perSec,
            paced ? pool.latency.quantile(0.5) : 0,
            paced ? pool.latency.quantile(0.99) : 0,
            paced ? pool.latency.quantile(0.999) : 0,
            s1.cpuSeconds() - s0.cpuSeconds(),
            s1.rssBytes(),
            intervalMillis);
    p.line(
        String.format(
            Locale.ROOT,
            "%s clients=%d inserted=%d delivered=%d loss=%.3f%% reordered=%d "
                + "reports/s=%.0f p50=%.1fms p99=%.1fms p999=%.1fms cpu=%.2fs rss=%dMiB",
            scenario,
            clients,
            inserted,
            delivered,
            r.lossPercent(),
            r.reordered(),
            perSec,
            r.p50Micros() / 1000.0,
            r.p99Micros() / 1000.0,
            r.p999Micros() / 1000.0,
            r.serverCpuSeconds(),
            r.rssBytes() >> 20));
    return r;
  }
}
