package io.herald.bench.chaos;

import java.util.BitSet;

/**
 * What one client received, by sequence: each one seen, how many arrived twice, and how many came
 * after a higher one. Thread-safe: a client's reader adds while the fault script reads.
 */
final class Received {
  private final BitSet seen = new BitSet();
  private long count, duplicated, reordered, highest = -1;

  /**
   * The sequence bit 0 stands for, set by the first one added: the Redis engine's sequences start
   * near 10^15 (its clock), far past a bit set's int index; a run spans at most a few million of
   * them.
   */
  private long base = -1;

  synchronized void add(long seq) {
    if (seq < 0) return;
    if (base < 0) base = Math.max(0, seq - (1 << 20));
    int bit = bit(seq);
    if (bit < 0) return;
    count++;
    if (seen.get(bit)) duplicated++;
    seen.set(bit);
    if (seq < highest) reordered++;
    highest = Math.max(highest, seq);
  }

  /** The bit of {@code seq}, or -1 when it is outside what this client can have seen. */
  private int bit(long seq) {
    long b = seq - base;
    return base < 0 || b < 0 || b > Integer.MAX_VALUE ? -1 : (int) b;
  }

  synchronized boolean has(long seq) {
    int bit = bit(seq);
    return bit >= 0 && seen.get(bit);
  }

  /** How many of {@code owed} never arrived. */
  synchronized long missing(Iterable<Long> owed) {
    long n = 0;
    for (long seq : owed) if (!has(seq)) n++;
    return n;
  }

  synchronized long count() {
    return count;
  }

  synchronized long duplicated() {
    return duplicated;
  }

  synchronized long reordered() {
    return reordered;
  }
}
