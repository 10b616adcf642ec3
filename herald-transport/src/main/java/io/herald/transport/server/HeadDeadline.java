package io.herald.transport.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slowloris bound: a connection must send a whole request head within the header timeout of its
 * accept, and again of each response's end (an idle keep-alive connection is closed then, as Node
 * closes them after 5 s). Vert.x bounds the head's size, not its duration. One instance per
 * listener: its connections all run on the listener's event loop, so the map needs no lock. A
 * connection upgraded to a WebSocket leaves HTTP and is never armed again.
 */
final class HeadDeadline {
  private static final Logger LOG = LoggerFactory.getLogger(HeadDeadline.class);
  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<HttpConnection, Long> waiting = new HashMap<>();

  HeadDeadline(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** A new connection: its first head is due. */
  void accepted(HttpConnection conn) {
    arm(conn);
  }

  /** The connection ended (the listener owns the connection's one close handler). */
  void closed(HttpConnection conn) {
    cancel(conn);
  }

  /** A complete head arrived; the next one is due when this request's response has ended. */
  void head(HttpServerRequest req) {
    HttpConnection conn = req.connection();
    cancel(conn);
    req.response().endHandler(v -> arm(conn));
  }

  private void arm(HttpConnection conn) {
    cancel(conn);
    waiting.put(
        conn,
        vertx.setTimer(
            timeoutMs,
            id -> {
              if (waiting.remove(conn) != null) {
                LOG.debug(
                    "closing {}: no complete request head within {} ms",
                    conn.remoteAddress(),
                    timeoutMs);
                conn.close();
              }
            }));
  }

  private void cancel(HttpConnection conn) {
    Long id = waiting.remove(conn);
    if (id != null) vertx.cancelTimer(id);
  }
}
