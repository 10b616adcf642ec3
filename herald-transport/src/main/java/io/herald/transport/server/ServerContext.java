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
 * @param admission  overload protection: a service passes every new long-lived stream (upgrade, Engine.IO handshake,
 *                   long poll, SSE) through {@link Admission#admit}; WebSocket routes are passed by the server itself
 * @param admin      where a service registers its connection counts and rooms for the operator's page
 */
public record ServerContext(Vertx vertx, Hub hub, Metrics metrics, Connections connections, Health health,
    InstantSource clock, ServerConfig config, WebSocketRoutes webSockets, java.util.Optional<java.nio.file.Path> historyDir,
    io.herald.core.engine.NodeFeed feed, Admission admission, AdminBoard admin) {}
