package io.herald.app;

import io.herald.testkit.EngineServer;
import io.herald.testkit.NatsServer;

/**
 * The nodes on the operator's page, on a NATS JetStream server of the test's own
 * (HERALD_ENGINE=nats).
 */
class ClusterNodesNatsIT extends ClusterNodesContract {
  @Override
  EngineServer server() {
    return new NatsServer();
  }
}
