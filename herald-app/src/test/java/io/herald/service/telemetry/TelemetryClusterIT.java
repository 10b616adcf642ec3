package io.herald.service.telemetry;

import io.herald.testkit.EngineServer;
import io.herald.testkit.RedisServer;

/** Three telemetry nodes on a Redis of the test's own (REDIS_URL, HERALD_ENGINE=redis). */
class TelemetryClusterIT extends TelemetryClusterContract {
  @Override
  EngineServer server() {
    return new RedisServer();
  }
}
