package io.herald.transport.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WebSocket endpoints by exact path, served before the Router. Vert.x Web wraps upgraded sockets in
 * its own class; handling the upgrade here gives services Vert.x's socket itself, which the batched
 * writer needs.
 */
public final class WebSocketRoutes {
  record Route(Handler<HttpServerRequest> handler, boolean anyMethod) {}

  private final Map<String, Route> routes = new ConcurrentHashMap<>();

  /**
   * Registers the handler of every GET to {@code path} (the upgrade, or a plain GET that gets an
   * error); other methods get 405.
   */
  public void route(String path, Handler<HttpServerRequest> handler) {
    add(path, new Route(handler, false));
  }

  /**
   * Like {@link #route} for every method: Engine.IO's polling transport POSTs to the same path it
   * upgrades on.
   */
  public void routeAnyMethod(String path, Handler<HttpServerRequest> handler) {
    add(path, new Route(handler, true));
  }

  private void add(String path, Route route) {
    if (routes.putIfAbsent(path, route) != null)
      throw new IllegalStateException("WebSocket path taken: " + path);
  }

  Route find(String path) {
    return routes.get(path);
  }
}
