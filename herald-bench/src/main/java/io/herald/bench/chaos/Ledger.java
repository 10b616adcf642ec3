package io.herald.bench.chaos;

import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events the server accepted (202 with their sequence) and the publishes it refused or never
 * answered.
 */
final class Ledger {
  final NavigableSet<Long> accepted = new ConcurrentSkipListSet<>();
  final AtomicLong refused = new AtomicLong();

  /**
   * System.nanoTime() of the latest refusal (0: none yet): how long an outage lasted, seen by a
   * publisher.
   */
  final AtomicLong lastRefusedNanos = new AtomicLong();

  /** One publish refused or unanswered. */
  void refuse() {
    refused.incrementAndGet();
    lastRefusedNanos.set(System.nanoTime());
  }

  /** What one client should have: every accepted event after the position it started from. */
  long expectedAfter(long start) {
    return accepted.tailSet(start, false).size();
  }
}
