package io.herald.service.websocket;

import io.herald.testkit.EngineServer;
import io.herald.testkit.RedisServer;

/** Three websocket nodes on a Redis of the test's own (HERALD_ENGINE=redis). */
class WebsocketClusterIT extends WebsocketClusterContract {
  @Override
  EngineServer server() {
    return new RedisServer();
  }
}
