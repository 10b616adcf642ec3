package io.herald.transport.server;

import io.herald.core.hub.Hub;
import io.herald.transport.health.Health;
import io.herald.transport.metrics.Metrics;
import io.herald.transport.ws.Connections;
import io.vertx.core.Vertx;
import java.time.InstantSource;

/**
 * What a service gets from the server it is mounted on.
 *
 * @param feed       the engine the hub follows: publish through {@code feed.engine()}, and attach a channel before
 *                   serving it when {@code feed.shared()}
 * @param historyDir the hub's journal directory (HERALD_HISTORY_DIR), where a service may keep its own state across
 *                   restarts too; empty when history is in memory only
 */
public record ServerContext(Vertx vertx, Hub hub, Metrics metrics, Connections connections, Health health,
    InstantSource clock, ServerConfig config, WebSocketRoutes webSockets, java.util.Optional<java.nio.file.Path> historyDir,
    io.herald.core.engine.NodeFeed feed) {}
