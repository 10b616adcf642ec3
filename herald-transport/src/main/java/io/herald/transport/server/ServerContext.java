package io.herald.transport.server;

import io.herald.core.engine.EnginePort;
import io.herald.transport.health.Health;
import io.herald.transport.metrics.Metrics;
import io.herald.transport.ws.Connections;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;

/**
 * What a service gets from the server it is mounted on.
 *
 * @param engine the only way a service publishes, reads, subscribes and keeps shared values,
 *     whichever engine the server runs on (the node's hub and the feed that keeps it in step stay
 *     with the server)
 * @param historyDir the hub's journal directory (HERALD_HISTORY_DIR), where a service may keep its
 *     own state across restarts too; empty when history is in memory only
 * @param admission overload protection: a service passes every new long-lived stream (upgrade,
 *     Engine.IO handshake, long poll, SSE) through {@link Admission#admit}; WebSocket routes are
 *     passed by the server itself
 * @param admin where a service registers its connection counts and rooms for the operator's page
 */
public record ServerContext(
    Vertx vertx,
    EnginePort engine,
    Metrics metrics,
    Connections connections,
    Health health,
    InstantSource clock,
    ServerConfig config,
    WebSocketRoutes webSockets,
    Optional<Path> historyDir,
    Admission admission,
    AdminBoard admin) {}
