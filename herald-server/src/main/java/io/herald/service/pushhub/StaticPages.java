package io.herald.service.pushhub;

import io.herald.transport.http.StaticResource;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

/**
 * The example page (GET /) and the reconnecting browser client (GET /herald-client.js), read once
 * at start.
 */
final class StaticPages {
  private StaticPages() {}

  static void mount(Router router) {
    Buffer page = StaticResource.load("pushhub/index.html");
    Buffer client = StaticResource.load("pushhub/herald-client.js");
    router
        .get("/")
        .handler(
            rc -> rc.response().putHeader("content-type", "text/html; charset=utf-8").end(page));
    router
        .get("/herald-client.js")
        .handler(
            rc ->
                rc.response()
                    .putHeader("content-type", "text/javascript; charset=utf-8")
                    .end(client));
  }
}
