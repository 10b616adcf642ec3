package io.herald.service.websocket;

import io.herald.core.engine.EnginePort;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.metrics.Metrics;
import java.time.InstantSource;

/**
 * What every socket of the service shares. {@code jwt} is null when JWT_SECRET is not set; one room
 * index per loop.
 */
record SioContext(
    io.vertx.core.Vertx vertx,
    EnginePort engine,
    InstantSource clock,
    Metrics metrics,
    WebsocketConfig config,
    JwtVerifier jwt,
    Sockets sockets,
    java.util.function.Function<java.util.concurrent.Executor, RoomDispatch> dispatches,
    SharedSessions sessions) {
  /** The room index of {@code loop}, subscribed to the channel when first asked for. */
  RoomDispatch dispatch(java.util.concurrent.Executor loop) {
    return dispatches.apply(loop);
  }
}
