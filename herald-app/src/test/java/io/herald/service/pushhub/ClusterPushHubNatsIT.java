package io.herald.service.pushhub;

import io.herald.testkit.EngineServer;
import io.herald.testkit.NatsServer;

/** Three push-hub nodes on a NATS JetStream of the test's own (HERALD_ENGINE=nats). */
class ClusterPushHubNatsIT extends ClusterPushHubContract {
  @Override
  EngineServer server() {
    return new NatsServer();
  }
}
