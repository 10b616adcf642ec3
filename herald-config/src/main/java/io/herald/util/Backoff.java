package io.herald.util;

import java.time.Duration;

/**
 * Capped exponential backoff for reconnect and retry loops: each {@link #next} doubles the wait up
 * to the cap; {@link #reset} after a success. Not thread-safe: one per loop.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration current;

  public Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.current = initial;
  }

  /** The wait to use now; the one after it is twice as long, up to the cap. */
  public Duration next() {
    Duration d = current;
    Duration doubled = current.multipliedBy(2);
    current = doubled.compareTo(max) > 0 ? max : doubled;
    return d;
  }

  public void reset() {
    current = initial;
  }

  /** Sleeps for {@link #next}; false when interrupted (the loop should stop). */
  public boolean pause() {
    return sleep(next());
  }

  /**
   * Sleeps; false when interrupted, with the interrupt consumed (the caller is expected to stop).
   */
  public static boolean sleep(Duration d) {
    try {
      Thread.sleep(d);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }
}
