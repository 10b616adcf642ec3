package io.herald.transport.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * HERALD_CONTROL_PORT: /health and /metrics on a listener with one event-loop thread of its own (a
 * Vert.x instance apart from the one serving clients). On the main port a probe waits in its event
 * loop's queue behind whatever that loop does, and under a connection flood on a busy core that can
 * be a hundred milliseconds or more; this thread is idle until a probe arrives, so the kernel runs
 * it at once. It serves nothing a client could flood: no streams, no publishing. Both handlers only
 * read counters the services keep thread-safe.
 */
final class ControlListener {
  private final Vertx vertx =
      Vertx.builder()
          .with(
              new VertxOptions()
                  .setEventLoopPoolSize(1)
                  .setWorkerPoolSize(1)
                  .setInternalBlockingPoolSize(1))
          .build();
  private volatile int port;

  /** Listens on {@code host}:{@code port} (0: a free port); completes with the bound port. */
  Future<Integer> start(String host, int wanted, ServerContext context) {
    Router router = Router.router(vertx);
    ControlRoutes.mount(router, context);
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost(host)
                .setPort(wanted)
                .setTcpNoDelay(true)
                .setReuseAddress(true))
        .requestHandler(router)
        .listen()
        .map(HttpServer::actualPort)
        .onSuccess(p -> port = p);
  }

  int port() {
    return port;
  }

  Future<Void> close() {
    return vertx.close();
  }
}
