package io.herald.transport.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slowloris bound: a connection must send a whole request head within the header timeout of its
 * accept, and again of each response's end (an idle keep-alive connection is closed then, as Node
 * closes them after 5 s). Vert.x bounds the head's size, not its duration. One instance per
 * listener: its connections all run on the listener's event loop, so nothing here needs a lock. A
 * connection upgraded to a WebSocket leaves HTTP and is never armed again.
 *
 * <p>One periodic sweep per listener instead of a timer per connection: a Vert.x timer set at each
 * accept and cancelled at each head (a scheduled task, a handler, a map entry, a priority-queue
 * insert and removal) was a tenth of a WebSocket handshake's CPU. Every deadline is its arming time
 * plus the same timeout, so deadlines queue in the order they were set and the sweep only looks at
 * the head of the queue; a cancelled deadline stays queued, marked stale, until its time comes. A
 * connection is closed at most one sweep period after its deadline.
 */
final class HeadDeadline {
  private static final Logger LOG = LoggerFactory.getLogger(HeadDeadline.class);

  /**
   * One arming of one connection's deadline; stale once the connection sent its head, closed or was
   * armed again (compared by identity: each arming is a new one). It names the connection by its
   * {@link Admission#key} (the Netty channel), never by Vert.x's connection object: a stale entry
   * stays queued for the whole timeout, and would keep a connection a WebSocket has left (its
   * request, response and inbound queue, about 5 KB) alive long enough to be promoted to the old
   * generation, doubling the memory an idle connection costs.
   */
  private record Due(Object key, long atNanos) {}

  private final long timeoutMs;
  private final ArrayDeque<Due> queue = new ArrayDeque<>();
  private final Map<Object, Due> armed = new HashMap<>();

  /** Sweeps on the calling context's event loop: construct it on the listener's. */
  HeadDeadline(Vertx vertx, long timeoutMs) {
    this.timeoutMs = timeoutMs;
    vertx.setPeriodic(sweepPeriod(timeoutMs), id -> sweep(System.nanoTime()));
  }

  /**
   * A tenth of the timeout, between 10 and 250 ms: closing up to that late is within what a
   * slowloris bound needs.
   */
  static long sweepPeriod(long timeoutMs) {
    return Math.max(10, Math.min(250, timeoutMs / 10));
  }

  /** A new connection: its first head is due. */
  void accepted(HttpConnection conn) {
    arm(Admission.key(conn));
  }

  /** The connection ended (the listener owns the connection's one close handler). */
  void closed(Object key) {
    armed.remove(key);
  }

  /** A complete head arrived; the next one is due when this request's response has ended. */
  void head(HttpServerRequest req) {
    Object key = Admission.key(req.connection());
    armed.remove(key);
    req.response().endHandler(v -> arm(key));
  }

  private void arm(Object key) {
    Due due = new Due(key, System.nanoTime() + timeoutMs * 1_000_000);
    armed.put(key, due);
    queue.addLast(due);
  }

  private void sweep(long now) {
    for (Due due = queue.peekFirst();
        due != null && due.atNanos() - now <= 0;
        due = queue.peekFirst()) {
      queue.pollFirst();
      if (armed.get(due.key()) != due) continue; // its head came, it closed, or it was armed again
      armed.remove(due.key());
      LOG.debug("closing a connection: no complete request head within {} ms", timeoutMs);
      Admission.close(due.key());
    }
  }
}
