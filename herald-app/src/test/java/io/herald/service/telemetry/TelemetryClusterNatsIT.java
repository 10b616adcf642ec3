package io.herald.service.telemetry;

import io.herald.testing.EngineServer;
import io.herald.testing.NatsServer;

/** Three telemetry nodes on a NATS JetStream of the test's own (HERALD_ENGINE=nats). */
class TelemetryClusterNatsIT extends TelemetryClusterContract {
  @Override
  EngineServer server() {
    return new NatsServer();
  }
}
