package io.herald.app;

import io.herald.testing.EngineServer;
import io.herald.testing.RedisServer;

/** Two deployments on one Redis of the test's own. */
class DeploymentIsolationIT extends DeploymentIsolationContract {
  @Override
  EngineServer server() {
    return new RedisServer();
  }
}
