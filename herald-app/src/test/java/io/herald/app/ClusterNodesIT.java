package io.herald.app;

import io.herald.testkit.EngineServer;
import io.herald.testkit.RedisServer;

/** The nodes on the operator's page, on a Redis of the test's own (HERALD_ENGINE=redis). */
class ClusterNodesIT extends ClusterNodesContract {
  @Override
  EngineServer server() {
    return new RedisServer();
  }
}
