package io.herald.service.pushhub;

import io.herald.testkit.EngineServer;
import io.herald.testkit.RedisServer;

/** Three push-hub nodes on a Redis of the test's own (HERALD_ENGINE=redis). */
class ClusterPushHubIT extends ClusterPushHubContract {
  @Override
  EngineServer server() {
    return new RedisServer();
  }
}
