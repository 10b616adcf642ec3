package io.herald.bench.chaos;

import java.util.BitSet;

/**
 * What one client received, by sequence: each one seen, how many arrived twice, and how many came after a higher
 * one. Thread-safe: a client's reader adds while the fault script reads.
 */
final class Received {
  private final BitSet seen = new BitSet();
  private long count, duplicated, reordered, highest = -1;

  synchronized void add(long seq) {
    if (seq < 0 || seq > Integer.MAX_VALUE) return;
    count++;
    if (seen.get((int) seq)) duplicated++;
    seen.set((int) seq);
    if (seq < highest) reordered++;
    highest = Math.max(highest, seq);
  }

  synchronized boolean has(long seq) {
    return seq >= 0 && seq <= Integer.MAX_VALUE && seen.get((int) seq);
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
