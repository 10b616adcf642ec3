package io.herald.transport.server;

import io.herald.core.hub.Hub;
import io.herald.transport.health.Health;
import io.herald.transport.metrics.Metrics;
import io.herald.transport.ws.Connections;
import io.vertx.core.Vertx;
import java.time.InstantSource;

/** What a service gets from the server it is mounted on. */
public record ServerContext(Vertx vertx, Hub hub, Metrics metrics, Connections connections, Health health,
    InstantSource clock, ServerConfig config, WebSocketRoutes webSockets) {}
