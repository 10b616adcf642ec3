package io.herald.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A log-linear latency histogram in microseconds: 16 sub-buckets per power of two, so every reading is within
 * about 6% of the true value, from 1 µs to about 1 hour. Thread-safe and allocation-free when recording.
 */
public final class Histogram {
  private static final int SUB = 16;
  private final AtomicLongArray counts = new AtomicLongArray(64 * SUB);

  public void record(long micros) {
    counts.incrementAndGet(index(Math.max(1, micros)));
  }

  static int index(long v) {
    int exp = 63 - Long.numberOfLeadingZeros(v);
    if (exp < 4) return (int) v;                        // 1..15 exactly
    int sub = (int) ((v >>> (exp - 4)) & (SUB - 1));     // the 4 bits after the leading one
    return exp * SUB + sub;
  }

  static long lowerBound(int index) {
    int exp = index / SUB;
    if (exp < 4) return index;
    return (1L << exp) | ((long) (index % SUB) << (exp - 4));
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
