package io.herald.bench.scenario;

import io.herald.bench.load.Handshakes;
import io.herald.bench.load.Progress;
import io.herald.bench.report.HandshakeResult;
import io.herald.bench.target.RunningTarget;
import java.util.Locale;

/**
 * How fast a server takes new WebSocket connections (issue 30: what a reconnect storm after a
 * deploy costs): two rounds of {@code n} handshakes, {@value #IN_FLIGHT} in flight, each connection
 * held; the first on the fresh process, the second after the first round's connections were closed,
 * so its code is compiled and its pools warm.
 */
final class HandshakeScenario {
  /**
   * Enough to keep one core's server busy without the generator's threads crowding its own core.
   */
  static final int IN_FLIGHT = 64;

  /**
   * Source addresses at the least: the first round's closed connections sit in TIME_WAIT on the
   * client side, and 19,000 of them twice over would take most of one address's ephemeral ports.
   */
  private static final int MIN_SOURCES = 4;

  private HandshakeScenario() {}

  static HandshakeResult run(String target, RunningTarget rt, int n, int sources, Progress p)
      throws InterruptedException {
    int from = Math.max(MIN_SOURCES, sources);
    Handshakes.Round fresh;
    try (Handshakes h = new Handshakes(from)) {
      fresh = h.open(rt.port, "/ws", n, IN_FLIGHT, p);
    }
    Thread.sleep(3_000); // the server sees the first round's connections close
    Handshakes.Round warm;
    double cpu;
    try (Handshakes h = new Handshakes(from)) {
      double cpu0 = rt.stats().cpuSeconds();
      warm = h.open(rt.port, "/ws", n, IN_FLIGHT, p);
      cpu = rt.stats().cpuSeconds() - cpu0;
    }
    p.line(
        String.format(
            Locale.ROOT,
            "fresh %.0f/s (p99 %.1f ms), warm %.0f/s (p99 %.1f ms), %d failed, %.0f µs server CPU per warm handshake",
            fresh.perSecond(),
            fresh.latency().quantile(0.99) / 1000.0,
            warm.perSecond(),
            warm.latency().quantile(0.99) / 1000.0,
            fresh.failed() + warm.failed(),
            cpu * 1e6 / Math.max(1, n)));
    return new HandshakeResult(
        target,
        n,
        IN_FLIGHT,
        fresh.perSecond(),
        warm.perSecond(),
        fresh.latency().quantile(0.99),
        warm.latency().quantile(0.99),
        fresh.failed() + warm.failed(),
        cpu);
  }
}
