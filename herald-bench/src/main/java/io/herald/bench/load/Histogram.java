package io.herald.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A log-linear latency histogram in microseconds: 64 sub-buckets per power of two, so every reading
 * is within about 1.6% of the true value (a p99 near a 1 s broadcast interval is resolved to 16
 * ms), up to hours. Thread-safe and allocation-free when recording.
 */
public final class Histogram {
  private static final int BITS = 6;
  private static final int SUB = 1 << BITS;
  private final AtomicLongArray counts = new AtomicLongArray(64 * SUB);

  public void record(long micros) {
    counts.incrementAndGet(index(Math.max(1, micros)));
  }

  static int index(long v) {
    int exp = 63 - Long.numberOfLeadingZeros(v);
    if (exp < BITS) return (int) v; // below 64: exactly
    int sub = (int) ((v >>> (exp - BITS)) & (SUB - 1)); // the 6 bits after the leading one
    return exp * SUB + sub;
  }

  static long lowerBound(int index) {
    int exp = index / SUB;
    if (exp < BITS) return index;
    return (1L << exp) | ((long) (index % SUB) << (exp - BITS));
  }

  public long count() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) n += counts.get(i);
    return n;
  }

  /** The value at quantile {@code q} (0..1), in microseconds; 0 when empty. */
  public long quantile(double q) {
    long total = count();
    if (total == 0) return 0;
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) return lowerBound(i);
    }
    return lowerBound(counts.length() - 1);
  }

  public void reset() {
    for (int i = 0; i < counts.length(); i++) counts.set(i, 0);
  }
}
