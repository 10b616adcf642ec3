package io.herald.core.history;

import java.time.Duration;

/**
 * Retention of one channel's history, which is what a reconnecting client can resume from.
 *
 * @param maxEvents keep at most this many events per channel (default 1,000)
 * @param maxAge and none older than this (default 5 minutes: long enough for a browser tab that
 *     slept through a network change, short enough that a replay is never a flood)
 */
public record HistoryConfig(int maxEvents, Duration maxAge) {
  public static final HistoryConfig DEFAULT = new HistoryConfig(1000, Duration.ofMinutes(5));

  public HistoryConfig {
    if (maxEvents < 0) throw new IllegalArgumentException("maxEvents must not be negative");
    if (maxAge.isNegative()) throw new IllegalArgumentException("maxAge must not be negative");
  }
}
