package io.herald.transport.ws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** Every open WebSocket connection, for stats and for graceful shutdown. Thread-safe. */
public final class Connections {
  private final Set<WsConnection> open = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;
  final Loops loops = new Loops();

  void add(WsConnection c) {
    open.add(c);
  }

  void remove(WsConnection c) {
    open.remove(c);
  }

  /**
   * The executor of {@code context}'s event loop, shared by all its connections (the hub groups by
   * it).
   */
  public Executor loopOf(Context context) {
    return loops.of(context);
  }

  /**
   * How many event loops have connections (or had): the number of fan-out tasks per event at most.
   */
  public int loops() {
    return loops.size();
  }

  public int count() {
    return open.size();
  }

  /** True once shutdown began: new upgrades are refused with 503. */
  public boolean draining() {
    return draining;
  }

  /**
   * Graceful shutdown: every connection flushes what is queued, then closes with 1001; completes
   * when all are closed or {@code deadline} has passed, whichever comes first (stragglers are then
   * closed hard).
   */
  public Future<Void> shutdown(Vertx vertx, Duration deadline) {
    draining = true;
    Promise<Void> done = Promise.promise();
    open.forEach(WsConnection::shutdown);
    long end = System.nanoTime() + deadline.toNanos();
    vertx.setPeriodic(
        20,
        id -> {
          if (open.isEmpty() || System.nanoTime() > end) {
            vertx.cancelTimer(id);
            open.forEach(WsConnection::abort);
            done.tryComplete();
          }
        });
    return done.future();
  }
}
