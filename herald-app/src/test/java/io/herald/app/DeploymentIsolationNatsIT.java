package io.herald.app;

import io.herald.testkit.EngineServer;
import io.herald.testkit.NatsServer;

/** Two deployments on one NATS JetStream server of the test's own. */
class DeploymentIsolationNatsIT extends DeploymentIsolationContract {
  @Override
  EngineServer server() {
    return new NatsServer();
  }
}
