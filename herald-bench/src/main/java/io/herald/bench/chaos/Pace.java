package io.herald.bench.chaos;

/**
 * A fault's load schedule: {@code rate × seconds} ticks, tick {@code i} (from 0) due {@code i /
 * rate} after the start.
 */
final class Pace {
  private final double rate;
  private final long start = System.nanoTime();
  final long ticks;

  Pace(double rate, double seconds) {
    this.rate = rate;
    this.ticks = (long) (rate * seconds);
  }

  /**
   * Sleeps until tick {@code i} is due; at once when it is late (a slow publish does not shift the
   * rest).
   */
  void await(long i) {
    long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
    if (wait > 0) Faults.sleep(wait / 1_000_000);
  }
}
