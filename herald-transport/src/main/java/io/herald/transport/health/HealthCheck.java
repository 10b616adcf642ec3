package io.herald.transport.health;

import java.util.function.Supplier;

/** One component's health, asked at each GET /health. Must answer fast and never block on I/O. */
public interface HealthCheck {
  /** A name unique among checks, such as {@code push-hub} or {@code mariadb}. */
  String name();

  /**
   * {@code service} for a running Herald service, {@code dependency} for a database, broker or
   * store.
   */
  String kind();

  HealthStatus check();

  /** A check answered by {@code status}. */
  static HealthCheck of(String name, String kind, Supplier<HealthStatus> status) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String kind() {
        return kind;
      }

      @Override
      public HealthStatus check() {
        return status.get();
      }
    };
  }
}
