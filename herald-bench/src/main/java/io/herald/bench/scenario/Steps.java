package io.herald.bench.scenario;

import io.herald.bench.load.Progress;
import io.herald.bench.load.Publisher;
import io.herald.bench.load.RawClients;
import io.herald.bench.report.StepResult;
import io.herald.bench.target.ProcStats;
import io.herald.bench.target.RunningTarget;
import java.util.function.Supplier;

/** Runs one publishing step against connected clients and measures it. */
final class Steps {
  private Steps() {}

  static StepResult run(
      String scenario,
      RunningTarget t,
      RawClients pool,
      Publisher pub,
      int clients,
      double rate,
      double seconds,
      Progress progress)
      throws InterruptedException {
    return run(scenario, t, pool, pub, clients, rate, seconds, progress, null, null);
  }

  /**
   * As above, publishing {@code body} to {@code uri} (another service's broadcast route); null:
   * push-hub's.
   */
  static StepResult run(
      String scenario,
      RunningTarget t,
      RawClients pool,
      Publisher pub,
      int clients,
      double rate,
      double seconds,
      Progress progress,
      String uri,
      Publisher.Body body)
      throws InterruptedException {
    return run(
        scenario,
        t.target.name(),
        t::stats,
        pool,
        pub,
        clients,
        rate,
        seconds,
        progress,
        uri,
        body);
  }

  /** As above for a server of several processes (a cluster): {@code stats} sums theirs. */
  static StepResult run(
      String scenario,
      String target,
      Supplier<ProcStats> stats,
      RawClients pool,
      Publisher pub,
      int clients,
      double rate,
      double seconds,
      Progress progress,
      String uri,
      Publisher.Body body)
      throws InterruptedException {
    pool.latency.reset();
    long r0 = pool.received.sum(), ro0 = pool.reordered.sum();
    ProcStats s0 = stats.get();
    long start = System.nanoTime();
    Publisher.Run run = uri == null ? pub.run(rate, seconds) : pub.run(rate, seconds, uri, body);
    long expected = run.accepted() * clients;
    long lastChange = drain(pool, r0, expected, 1000);
    long last = pool.received.sum();
    double elapsed = (lastChange - start) / 1e9;
    ProcStats s1 = stats.get();
    long received = last - r0;
    double cpu = s1.cpuSeconds() - s0.cpuSeconds();
    StepResult r =
        new StepResult(
            scenario,
            target,
            clients,
            rate,
            run.accepted(),
            expected,
            received,
            expected == 0 ? 0 : 100.0 * (expected - received) / expected,
            pool.reordered.sum() - ro0,
            received / elapsed,
            pool.latency.quantile(0.50),
            pool.latency.quantile(0.99),
            pool.latency.quantile(0.999),
            cpu,
            cpu > 0 ? received / cpu : 0,
            s1.rssBytes());
    progress.line(
        String.format(
            "%s rate=%.0f/s delivered=%.0f/s loss=%.3f%% reordered="
                + r.reordered()
                + " p50=%.2fms p99=%.2fms p999=%.2fms cpu=%.2fs rss=%dMiB",
            target,
            rate,
            r.deliveredPerSec(),
            r.lossPercent(),
            r.p50Micros() / 1000.0,
            r.p99Micros() / 1000.0,
            r.p999Micros() / 1000.0,
            cpu,
            r.rssBytes() >> 20));
    return r;
  }

  /**
   * Waits until {@code expected} deliveries arrived or none for {@code quietMillis}; returns the
   * last arrival.
   */
  static long drain(RawClients pool, long r0, long expected, long quietMillis)
      throws InterruptedException {
    long last = pool.received.sum(), lastChange = System.nanoTime();
    while (last - r0 < expected && System.nanoTime() - lastChange < quietMillis * 1_000_000) {
      Thread.sleep(5);
      long now = pool.received.sum();
      if (now != last) {
        last = now;
        lastChange = System.nanoTime();
      }
    }
    return lastChange;
  }
}
