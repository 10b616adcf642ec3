package io.herald.service.websocket;

import io.herald.transport.server.ServerContext;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The one path every broadcast takes, from HTTP or Kafka, on every engine: the engine port. A
 * shared engine (Redis: HERALD_ENGINE=redis, or REDIS_URL alone for this service) delivers it on
 * every node with one offset sequence; the local one on this node.
 */
final class Broadcaster {
  private final ServerContext ctx;
  private final Counter refused;

  Broadcaster(ServerContext ctx) {
    this.ctx = ctx;
    // The name is from the Redis bus this replaced; dashboards that count refusals keep working.
    this.refused =
        ctx.metrics()
            .counter(
                "herald_websocket_bus_refused",
                "Broadcasts the engine did not take (HTTP 503, or a Kafka record read again)");
  }

  /**
   * Completes with the broadcast's offset, or fails when it was not accepted (the shared engine
   * unavailable, the history journal refusing it): nothing delivered anywhere.
   */
  CompletionStage<Long> broadcast(Broadcast b) {
    ctx.metrics().published();
    return ctx.engine()
        .publish(WebsocketService.CHANNEL, b.route().name(), b.data(), b.route().meta())
        .handle(
            (e, err) -> {
              if (err == null) return e.seq();
              throw refusedBy(err);
            });
  }

  private CompletionException refusedBy(Throwable err) {
    refused.increment();
    return err instanceof CompletionException ce ? ce : new CompletionException(err);
  }
}
