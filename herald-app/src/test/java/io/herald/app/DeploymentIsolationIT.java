package io.herald.app;

import io.herald.testkit.EngineServer;
import io.herald.testkit.RedisServer;

/** Two deployments on one Redis of the test's own. */
class DeploymentIsolationIT extends DeploymentIsolationContract {
  @Override
  EngineServer server() {
    return new RedisServer();
  }
}
