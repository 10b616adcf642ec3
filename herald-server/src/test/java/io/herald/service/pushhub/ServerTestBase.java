package io.herald.service.pushhub;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;

/** A client-side Vert.x and at most one test server per test, both closed after it. */
abstract class ServerTestBase {
  final Vertx vertx = Vertx.vertx();
  TestServer server;

  @AfterEach
  void closeServerAndClients() {
    if (server != null) server.close();
    vertx.close().await();
  }
}
