package io.herald.service.websocket;

import io.herald.core.hub.Hub;
import io.herald.transport.auth.JwtVerifier;
import io.herald.transport.metrics.Metrics;
import java.time.InstantSource;

/** What every socket of the service shares. {@code jwt} is null when JWT_SECRET is not set. */
record SioContext(io.vertx.core.Vertx vertx, Hub hub, InstantSource clock, Metrics metrics, WebsocketConfig config, JwtVerifier jwt, Sockets sockets) {}
