package io.herald.service.websocket;

import io.herald.core.engine.EnginePort;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.metrics.Metrics;
import io.vertx.core.Vertx;
import java.time.InstantSource;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What every socket of the service shares. {@code jwt} is null when JWT_SECRET is not set; one room
 * index per loop.
 */
record SioContext(
    Vertx vertx,
    EnginePort engine,
    InstantSource clock,
    Metrics metrics,
    WebsocketConfig config,
    JwtVerifier jwt,
    Sockets sockets,
    Function<Executor, RoomDispatch> dispatches,
    SharedSessions sessions) {
  /** The room index of {@code loop}, subscribed to the channel when first asked for. */
  RoomDispatch dispatch(Executor loop) {
    return dispatches.apply(loop);
  }
}
