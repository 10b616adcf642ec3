package io.herald.service.telemetry;

import java.util.Optional;

/** The telemetry contract on the in-memory store (REDIS_URL unset). */
class MemoryTelemetryTest extends TelemetryContract {
  @Override
  Optional<String> redisUrl() {
    return Optional.empty();
  }
}
