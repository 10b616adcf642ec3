package io.herald.transport.admin;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.concurrent.TimeUnit;

/**
 * Percentiles of a latency histogram over a window, from two readings of its buckets. The timers
 * behind /metrics keep cumulative counts since start (what Prometheus' {@code
 * histogram_quantile(rate(...))} works from), so the window's distribution is the difference of two
 * readings; within a bucket the value is interpolated linearly, as Prometheus does. A percentile is
 * as precise as the buckets: about a third of the value at the timers' bounds.
 */
final class LagHistogram {
  /**
   * One reading: the bucket bounds (milliseconds, ascending), the counts at or below each, and the
   * total count.
   */
  record Reading(double[] boundsMillis, long[] atOrBelow, long count) {
    static final Reading EMPTY = new Reading(new double[0], new long[0], 0);
  }

  private LagHistogram() {}

  static Reading read(Timer timer) {
    CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
    double[] bounds = new double[buckets.length];
    long[] counts = new long[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
      counts[i] = (long) buckets[i].count();
    }
    return new Reading(bounds, counts, timer.count());
  }

  /**
   * The {@code q} quantile (0 to 1) of what was recorded between {@code before} and {@code after},
   * in milliseconds; null when nothing was. Past the last bound: the last bound (the histogram
   * knows no more).
   */
  static Double quantile(double q, Reading before, Reading after) {
    long n = after.count() - before.count();
    if (n <= 0 || after.boundsMillis().length == 0) return null;
    boolean sameBuckets = before.atOrBelow().length == after.atOrBelow().length;
    double rank = q * n;
    long below = 0;
    double lower = 0;
    for (int i = 0; i < after.boundsMillis().length; i++) {
      long upTo = after.atOrBelow()[i] - (sameBuckets ? before.atOrBelow()[i] : 0);
      double upper = after.boundsMillis()[i];
      if (upTo >= rank && upTo > below)
        return lower + (upper - lower) * (rank - below) / (upTo - below);
      below = upTo;
      lower = upper;
    }
    return lower;
  }
}
