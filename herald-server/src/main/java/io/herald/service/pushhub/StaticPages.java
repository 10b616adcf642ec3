package io.herald.service.pushhub;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The example page (GET /) and the reconnecting browser client (GET /herald-client.js), read once at start. */
final class StaticPages {
  private StaticPages() {}

  static void mount(Router router) {
    Buffer page = load("pushhub/index.html");
    Buffer client = load("pushhub/herald-client.js");
    router.get("/").handler(rc -> rc.response().putHeader("content-type", "text/html; charset=utf-8").end(page));
    router.get("/herald-client.js").handler(rc -> rc.response()
        .putHeader("content-type", "text/javascript; charset=utf-8").end(client));
  }

  private static Buffer load(String resource) {
    try (InputStream in = StaticPages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing resource " + resource);
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
