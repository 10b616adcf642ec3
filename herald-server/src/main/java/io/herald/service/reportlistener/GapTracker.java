package io.herald.service.reportlistener;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which report sequences have been resolved, so that none is ever skipped.
 *
 * <p>AUTO_INCREMENT values are taken at insert, not at commit: a row with a smaller seq can become
 * visible after a larger one was broadcast, and a plain {@code seq > last} tail would skip it for
 * ever. So the checkpoint (the {@link #frontier}) only passes a missing seq once that seq is
 * resolved: either it arrived and was broadcast, or it stayed missing for the grace period
 * <em>and</em> no transaction older than the gap is still open (then it was rolled back or deleted
 * and will never appear). Rows above the frontier that were already broadcast are remembered in
 * {@link #deliveredAbove}, which the tail persists with the checkpoint, so a restart neither
 * repeats them nor loses the gap.
 *
 * <p>Not thread-safe: owned by the tail's thread.
 */
final class GapTracker {
  /** A run of missing seqs [start, end] and when it was first noticed. */
  record Gap(long start, long end, Instant noticed) {}

  private long frontier;
  private final NavigableSet<Long> deliveredAbove = new TreeSet<>();
  private TreeMap<Long, Gap> gaps = new TreeMap<>();
  private long abandoned;

  GapTracker(long frontier, List<Long> deliveredAbove) {
    this.frontier = frontier;
    for (long s : deliveredAbove) if (s > frontier) this.deliveredAbove.add(s);
  }

  /**
   * Every seq at or below this is resolved. Persisted as {@code service_state.last_processed_seq}.
   */
  long frontier() {
    return frontier;
  }

  /** Seqs above the frontier already broadcast; persisted beside the checkpoint. */
  List<Long> deliveredAbove() {
    return List.copyOf(deliveredAbove);
  }

  /** The highest seq ever broadcast (or the frontier): new rows are looked for above it. */
  long highest() {
    return deliveredAbove.isEmpty() ? frontier : Math.max(frontier, deliveredAbove.last());
  }

  /**
   * Whether this seq was broadcast (or is at or below the frontier, where every existing report
   * was).
   */
  boolean broadcast(long seq) {
    return seq <= frontier || deliveredAbove.contains(seq);
  }

  /** Open gaps, lowest first: the tail looks for late rows inside them. */
  List<Gap> gaps() {
    return List.copyOf(gaps.values());
  }

  long abandoned() {
    return abandoned;
  }

  /**
   * Of freshly read rows, those not broadcast yet (in the order given); marks them as broadcast.
   */
  List<Long> accept(List<Long> seqs) {
    List<Long> fresh = new ArrayList<>();
    for (long s : seqs) if (s > frontier && deliveredAbove.add(s)) fresh.add(s);
    return fresh;
  }

  /**
   * Recomputes the gaps and moves the frontier as far as resolved seqs allow.
   *
   * @param olderTransactionOpen whether a transaction that started at or before the given instant
   *     is still open (a late commit could still fill a gap noticed then)
   */
  void advance(Instant now, Duration grace, Predicate<Instant> olderTransactionOpen) {
    recomputeGaps(now);
    while (true) {
      if (!deliveredAbove.isEmpty() && deliveredAbove.first() == frontier + 1) {
        frontier = deliveredAbove.pollFirst();
        continue;
      }
      Gap g = gaps.get(frontier + 1);
      if (g != null
          && !now.isBefore(g.noticed().plus(grace))
          && !olderTransactionOpen.test(g.noticed())) {
        abandoned += g.end() - g.start() + 1;
        frontier = g.end();
        gaps.remove(g.start());
        continue;
      }
      return;
    }
  }

  /**
   * Missing runs between the frontier and the highest broadcast seq; each keeps its earliest
   * noticed time.
   */
  private void recomputeGaps(Instant now) {
    TreeMap<Long, Gap> fresh = new TreeMap<>();
    long prev = frontier;
    for (long s : deliveredAbove) {
      if (s > prev + 1)
        fresh.put(prev + 1, new Gap(prev + 1, s - 1, noticed(prev + 1, s - 1, now)));
      prev = s;
    }
    gaps = fresh;
  }

  private Instant noticed(long start, long end, Instant now) {
    Instant earliest = now;
    for (Map.Entry<Long, Gap> e : gaps.headMap(end, true).entrySet()) {
      Gap old = e.getValue();
      if (old.end() >= start && old.noticed().isBefore(earliest)) earliest = old.noticed();
    }
    return earliest;
  }
}
