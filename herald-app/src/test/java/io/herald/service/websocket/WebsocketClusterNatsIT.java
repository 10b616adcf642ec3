package io.herald.service.websocket;

import io.herald.testkit.EngineServer;
import io.herald.testkit.NatsServer;

/**
 * Three websocket nodes on a NATS JetStream of the test's own (HERALD_ENGINE=nats); sessions in its
 * key-value store.
 */
class WebsocketClusterNatsIT extends WebsocketClusterContract {
  @Override
  EngineServer server() {
    return new NatsServer();
  }
}
