package io.herald.transport.server;

import io.herald.transport.health.Health;
import io.vertx.ext.web.Router;

/** GET /health and GET /metrics: on the main router, and on the control port's when it is set. */
final class ControlRoutes {
  private ControlRoutes() {}

  static void mount(Router router, ServerContext context) {
    router
        .get("/health")
        .handler(
            ctx -> {
              Health.Report r = context.health().report();
              ctx.response()
                  .setStatusCode(r.status())
                  .putHeader("content-type", "application/json")
                  .end(r.body());
            });
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(context.metrics().scrape()));
  }
}
