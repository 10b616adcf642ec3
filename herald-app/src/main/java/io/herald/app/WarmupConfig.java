package io.herald.app;

import io.herald.config.Env;
import java.time.Duration;

/**
 * push-hub's warm-up before start ({@link Warmup}).
 *
 * @param duration HERALD_WARMUP: how long a private copy of push-hub is driven before the service
 *     starts; 0 (the default) turns it off
 * @param clients WebSocket clients of that copy, each receiving every warm-up event
 */
record WarmupConfig(Duration duration, int clients) {
  /**
   * Off: a warm-up delays readiness by its length and more, and start-up is a target of its own
   * (under 1.5 s).
   */
  static final WarmupConfig DEFAULT = new WarmupConfig(Duration.ZERO, 200);

  WarmupConfig {
    if (duration.isNegative()) throw new IllegalArgumentException("duration must not be negative");
    if (clients < 1) throw new IllegalArgumentException("clients must be at least 1");
  }

  boolean enabled() {
    return !duration.isZero();
  }

  static WarmupConfig from(Env env) {
    Duration d = env.duration("HERALD_WARMUP", DEFAULT.duration());
    if (d.isNegative() || d.compareTo(Duration.ofMinutes(1)) > 0) {
      env.error("HERALD_WARMUP must be between 0 (off) and 1m");
      return DEFAULT;
    }
    return new WarmupConfig(d, DEFAULT.clients());
  }
}
