package io.herald.transport.server;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * A Herald service (push-hub, report-listener, ...): mounts its routes on the shared router and
 * owns its sources. Started after the routes are mounted and before the listener opens; stopped
 * after clients are closed. Its running state and its entries on GET /health are a {@link
 * ServiceState} made in {@link #mount}.
 */
public interface Service {
  String name();

  void mount(Router router, ServerContext context);

  default Future<Void> start() {
    return Future.succeededFuture();
  }

  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
