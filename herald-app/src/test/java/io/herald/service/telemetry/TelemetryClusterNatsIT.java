package io.herald.service.telemetry;

import io.herald.testkit.EngineServer;
import io.herald.testkit.NatsServer;

/** Three telemetry nodes on a NATS JetStream of the test's own (HERALD_ENGINE=nats). */
class TelemetryClusterNatsIT extends TelemetryClusterContract {
  @Override
  EngineServer server() {
    return new NatsServer();
  }
}
