package io.herald.service.telemetry;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineFactory;
import io.herald.core.history.HistoryConfig;
import io.herald.store.Stores;
import java.time.InstantSource;
import java.util.Map;

/**
 * The engine telemetry's log lives on, with telemetry's own retention (EVENT_TTL,
 * HERALD_STREAM_MAX_EVENTS, not the hub's history settings): NATS JetStream for a {@code nats://}
 * URL, Redis for any other, else this process.
 */
final class LogEngine {
  private LogEngine() {}

  static Engine open(TelemetryConfig config, InstantSource clock) {
    int max = config.maxPerStream();
    if (config.engineUrl().isPresent()) {
      // Stores builds it, as it builds the hub's: a service names no engine implementation
      // (docs/ARCHITECTURE.md).
      return Stores.shared(
          config.engine(),
          config.engineUrl().get(),
          max,
          config.eventTtl(),
          config.names().telemetry());
    }
    // One process: the log starts at the clock in ms x 1000, so an id from before a restart is
    // older than every new
    // one and is told "missed", never mistaken for a new event with the same number.
    return EngineFactory.memory(
        new HistoryConfig(max, config.eventTtl()),
        clock,
        Map.of(EngineEventStore.LOG_CHANNEL, clock.millis() * 1000));
  }
}
