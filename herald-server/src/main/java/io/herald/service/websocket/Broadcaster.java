package io.herald.service.websocket;

import io.herald.transport.server.ServerContext;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The one path every broadcast takes, from HTTP or Kafka: the shared engine when there is one (one offset sequence
 * on every node), else the Redis bus when REDIS_URL is set (every instance delivers it), else this node's hub.
 */
final class Broadcaster {
  private final ServerContext ctx;
  private final Counter refused;
  /** Set when REDIS_URL is and there is no shared engine. */
  private final RedisBus bus;

  Broadcaster(ServerContext ctx, WebsocketConfig config) {
    this.ctx = ctx;
    this.refused = ctx.metrics().counter("herald_websocket_bus_refused", "Broadcasts Redis did not take (HTTP 503, or a Kafka record read again)");
    this.bus = !ctx.engine().shared() && config.redisUrl().isPresent() ? new RedisBus(config.redisUrl().get(), config.redisChannel(), this::deliver) : null;
  }

  /** The Redis bus, when broadcasts go through one. */
  RedisBus bus() {
    return bus;
  }

  /**
   * Completes with the broadcast's offset (-1 through the Redis bus, where each instance numbers its own), or fails
   * when it was not accepted (the engine or Redis unavailable, the history journal refusing it): nothing delivered.
   */
  CompletionStage<Long> broadcast(Broadcast b) {
    if (bus != null) {
      return bus.publish(b).handle((v, err) -> {
        if (err == null) return -1L;
        throw refusedBy(err);
      });
    }
    // The engine orders, keeps and delivers it (on every node when shared, where its offset is the same everywhere)
    ctx.metrics().published();
    return ctx.engine().publish(WebsocketService.CHANNEL, b.route().name(), b.data(), b.route().meta()).handle((e, err) -> {
      if (err == null) return e.seq();
      throw refusedBy(err);
    });
  }

  private CompletionException refusedBy(Throwable err) {
    refused.increment();
    return err instanceof CompletionException ce ? ce : new CompletionException(err);
  }

  /** A broadcast the Redis bus brought: this node's engine (a local one, which completes at once) delivers it here. */
  private void deliver(Broadcast b) {
    ctx.metrics().published();
    ctx.engine().publish(WebsocketService.CHANNEL, b.route().name(), b.data(), b.route().meta()).toCompletableFuture().join();
  }
}
