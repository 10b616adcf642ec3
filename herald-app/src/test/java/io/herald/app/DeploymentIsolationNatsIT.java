package io.herald.app;

import io.herald.testing.EngineServer;
import io.herald.testing.NatsServer;

/** Two deployments on one NATS JetStream server of the test's own. */
class DeploymentIsolationNatsIT extends DeploymentIsolationContract {
  @Override
  EngineServer server() {
    return new NatsServer();
  }
}
