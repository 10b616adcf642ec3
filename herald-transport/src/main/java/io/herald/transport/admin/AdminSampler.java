package io.herald.transport.admin;

import io.micrometer.core.instrument.Timer;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The last minutes of the node, one point a second, for the page's charts: kept here rather than in
 * the browser so that a page opened during an incident shows what led to it. Costs one reading of a
 * few counters and one histogram a second while the page is enabled, and {@value #POINTS} small
 * records. Ticks come from one timer; reads from any event loop: both hold the monitor briefly.
 */
final class AdminSampler {
  /** Five minutes, one point a second. */
  static final int POINTS = 300;

  /**
   * The window of the figures the page shows as "now": short enough to follow a change, long enough
   * to be steady.
   */
  static final int WINDOW_SECONDS = 10;

  /** What the node's counters read at one tick. */
  private record Reading(
      long millis, long published, long delivered, int connections, LagHistogram.Reading lag) {}

  /**
   * One second of the node as charted: events published and delivered per second, open TCP
   * connections, and the publish-to-write lag's median and 99th percentile (milliseconds; null in a
   * second with no delivery).
   */
  record Point(
      long t, double published, double delivered, int connections, Double p50, Double p99) {}

  /**
   * The figures over the last {@value #WINDOW_SECONDS} seconds (rates per second, lag in
   * milliseconds, null when none).
   */
  record Now(int seconds, double published, double delivered, Double p50, Double p90, Double p99) {}

  private final InstantSource clock;
  private final LongSupplier published;
  private final LongSupplier delivered;
  private final IntSupplier connections;
  private final Timer lag;
  private final ArrayDeque<Point> points = new ArrayDeque<>();
  private final ArrayDeque<Reading> recent = new ArrayDeque<>();

  AdminSampler(
      InstantSource clock,
      LongSupplier published,
      LongSupplier delivered,
      IntSupplier connections,
      Timer lag) {
    this.clock = clock;
    this.published = published;
    this.delivered = delivered;
    this.connections = connections;
    this.lag = lag;
  }

  /** Takes one reading and adds the point since the previous one. */
  synchronized void tick() {
    Reading r =
        new Reading(
            clock.millis(),
            published.getAsLong(),
            delivered.getAsLong(),
            connections.getAsInt(),
            LagHistogram.read(lag));
    Reading last = recent.peekLast();
    if (last != null && r.millis() > last.millis()) {
      double seconds = (r.millis() - last.millis()) / 1000.0;
      points.addLast(
          new Point(
              r.millis(),
              (r.published() - last.published()) / seconds,
              (r.delivered() - last.delivered()) / seconds,
              r.connections(),
              LagHistogram.quantile(0.5, last.lag(), r.lag()),
              LagHistogram.quantile(0.99, last.lag(), r.lag())));
      if (points.size() > POINTS) points.removeFirst();
    }
    recent.addLast(r);
    if (recent.size() > WINDOW_SECONDS + 1) recent.removeFirst();
  }

  synchronized List<Point> points() {
    return new ArrayList<>(points);
  }

  synchronized Now now() {
    Reading first = recent.peekFirst(), last = recent.peekLast();
    if (first == null || last.millis() <= first.millis()) return new Now(0, 0, 0, null, null, null);
    double seconds = (last.millis() - first.millis()) / 1000.0;
    return new Now(
        (int) Math.round(seconds),
        (last.published() - first.published()) / seconds,
        (last.delivered() - first.delivered()) / seconds,
        LagHistogram.quantile(0.5, first.lag(), last.lag()),
        LagHistogram.quantile(0.9, first.lag(), last.lag()),
        LagHistogram.quantile(0.99, first.lag(), last.lag()));
  }
}
