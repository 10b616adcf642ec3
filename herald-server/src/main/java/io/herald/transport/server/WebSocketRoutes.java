package io.herald.transport.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WebSocket endpoints by exact path, served before the Router. Vert.x Web wraps upgraded sockets in its own
 * class; handling the upgrade here gives services Vert.x's socket itself, which the batched writer needs.
 */
public final class WebSocketRoutes {
  private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();

  /** Registers the handler of every request to {@code path} (the upgrade, or a plain GET that gets an error). */
  public void route(String path, Handler<HttpServerRequest> handler) {
    if (routes.putIfAbsent(path, handler) != null) throw new IllegalStateException("WebSocket path taken: " + path);
  }

  Handler<HttpServerRequest> find(String path) {
    return routes.get(path);
  }
}
