package io.herald.bench.chaos;

import java.util.Arrays;
import java.util.Locale;

/**
 * Publish-to-delivery latencies of the clients that stay through a storm, split by when they
 * arrived: before the storm, while its clients were still coming in, and after the last one was in.
 * One publisher and the clients share this JVM, so {@code System.nanoTime()} stamps compare
 * directly.
 */
final class StormLatency {
  private final long[][] phases = {new long[1024], new long[1024], new long[1024]};
  private final int[] sizes = new int[3];
  private volatile int phase;
  private volatile long stormStart;

  void stormStarts() {
    stormStart = System.nanoTime();
    phase = 1;
  }

  void stormEnds() {
    phase = 2;
  }

  long stormStart() {
    return stormStart;
  }

  synchronized void add(long nanos) {
    int p = phase;
    if (sizes[p] == phases[p].length) phases[p] = Arrays.copyOf(phases[p], sizes[p] * 2);
    phases[p][sizes[p]++] = nanos;
  }

  /** {@code before p50/p99 ms, during ..., after ...}. */
  synchronized String summary() {
    String[] names = {"before", "during", "after"};
    StringBuilder out = new StringBuilder();
    for (int p = 0; p < 3; p++) {
      long[] v = Arrays.copyOf(phases[p], sizes[p]);
      Arrays.sort(v);
      if (p > 0) out.append(", ");
      out.append(names[p])
          .append(' ')
          .append(ms(v, 0.50))
          .append('/')
          .append(ms(v, 0.99))
          .append(" ms p50/p99");
    }
    return out.toString();
  }

  private static String ms(long[] sorted, double q) {
    if (sorted.length == 0) return "-";
    long v = sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    return String.format(Locale.ROOT, "%.1f", v / 1e6);
  }
}
