package io.herald.app;

import io.herald.config.Env;
import java.time.Duration;

/**
 * push-hub's warm-up after start ({@link Warmup}).
 *
 * @param duration HERALD_WARMUP: how long a private copy of push-hub is driven after start; 0 turns it off
 * @param clients  WebSocket clients of that copy, each receiving every warm-up event
 */
record WarmupConfig(Duration duration, int clients) {
  static final WarmupConfig DEFAULT = new WarmupConfig(Duration.ofSeconds(2), 200);
  static final WarmupConfig OFF = new WarmupConfig(Duration.ZERO, DEFAULT.clients());

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
