package io.herald.core.history;

import io.herald.core.event.Frame;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent events of one channel, bounded by count and age, readable from a sequence.
 *
 * <p>Not thread-safe: guarded by the owning channel's lock in the hub.
 */
public final class History {
  private final HistoryConfig config;
  private final InstantSource clock;
  private final ArrayDeque<Frame> frames = new ArrayDeque<>();

  /**
   * Highest sequence ever appended; survives eviction so "recovered" can be told apart from
   * "nothing new".
   */
  private long lastSeq;

  public History(HistoryConfig config, InstantSource clock) {
    this.config = config;
    this.clock = clock;
  }

  /**
   * Starts from what a {@link Journal} kept: its events (oldest first, bounded as usual) and the
   * last sequence, so that sequences continue where the previous process stopped. Only for a
   * history nothing was appended to yet.
   */
  public void restore(Journal.Restored restored) {
    if (lastSeq != 0 || !frames.isEmpty())
      throw new IllegalStateException("history already in use");
    long now = System.nanoTime();
    for (var e : restored.events()) frames.addLast(new Frame(e, now));
    while (frames.size() > config.maxEvents()) frames.pollFirst();
    lastSeq = restored.lastSeq();
    evictExpired();
  }

  /**
   * Replaces everything with what an engine holds now: a cluster node whose engine lost or trimmed
   * events it had not received yet. Sequences continue after {@code restored.lastSeq()}.
   */
  public void reset(Journal.Restored restored) {
    frames.clear();
    lastSeq = 0;
    restore(restored);
  }

  /** Appends a frame whose sequence follows the last one, then evicts what is over the bounds. */
  public void append(Frame frame) {
    // The first event may start above 1: a shared engine's channel starts at its clock (see the
    // Redis engine).
    if (frame.seq() != lastSeq + 1 && lastSeq != 0) {
      throw new IllegalStateException(
          "history expects seq " + (lastSeq + 1) + ", got " + frame.seq());
    }
    lastSeq = frame.seq();
    frames.addLast(frame);
    while (frames.size() > config.maxEvents()) frames.pollFirst();
    evictExpired();
  }

  /**
   * Drops events older than the maximum age. Called on append and read, so idle channels shrink
   * when read.
   */
  void evictExpired() {
    Instant cutoff = clock.instant().minus(config.maxAge());
    while (!frames.isEmpty() && frames.peekFirst().event().time().isBefore(cutoff))
      frames.pollFirst();
  }

  /**
   * The kept events with a sequence greater than {@code afterSeq}, oldest first. History is
   * bounded, so so is a replay. A request from the future ({@code afterSeq > lastSeq}, for example
   * after a restart of a server without durable history reset the sequence) gets everything kept
   * and {@code recovered = false}.
   */
  public Replay readAfter(long afterSeq) {
    evictExpired();
    if (afterSeq > lastSeq) return new Replay(new ArrayList<>(frames), false, lastSeq);
    List<Frame> out = new ArrayList<>();
    for (Frame f : frames) if (f.seq() > afterSeq) out.add(f);
    return new Replay(out, reachesBack(afterSeq), lastSeq);
  }

  /**
   * Whether {@link #readAfter} of {@code afterSeq} would be complete ({@code recovered}), without
   * copying.
   */
  public boolean reachesBack(long afterSeq) {
    evictExpired();
    if (afterSeq > lastSeq) return false;
    long oldestKept = frames.isEmpty() ? lastSeq + 1 : frames.peekFirst().seq();
    return afterSeq >= oldestKept - 1;
  }

  public long lastSeq() {
    return lastSeq;
  }

  public int size() {
    return frames.size();
  }
}
