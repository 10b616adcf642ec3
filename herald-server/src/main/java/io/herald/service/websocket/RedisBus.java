package io.herald.service.websocket;

import io.herald.store.redis.RedisLink;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several Herald instances behind one load balancer, as Socket.IO's Redis adapter does for Node: every broadcast
 * (HTTP or Kafka, on any instance) is published on one Redis channel, and every instance, the publishing one
 * included, hands what it receives to its own engine. One Redis channel gives one order, so all instances deliver
 * broadcasts in the same order. Recovery offsets stay per instance: a client that reconnects to another instance
 * gets a fresh session. While Redis is unreachable a broadcast fails (HTTP 503, Kafka records are read again).
 */
final class RedisBus implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBus.class);
  private final RedisLink link;
  private final String channel;
  private final Consumer<Broadcast> deliver;

  RedisBus(String url, String channel, Consumer<Broadcast> deliver) {
    // A drop of the subscription loses what was published meanwhile, as Socket.IO's Redis adapter does: clients that
    // missed events recover them from their own instance's history when they reconnect.
    this.link = new RedisLink(url, "websocket bus", channel, this::received, () -> { });
    this.channel = channel;
    this.deliver = deliver;
  }

  void start() {
    link.start();
  }

  /** Completes when Redis has taken the broadcast (every instance then delivers it), or fails when it cannot. */
  CompletionStage<Void> publish(Broadcast b) {
    StatefulRedisConnection<String, String> c = link.connection();
    if (c == null || !c.isOpen()) return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
    return c.async().publish(channel, encode(b)).thenApply(n -> null);
  }

  /** Null when the bus works, else why not (for /health). */
  String problem() {
    return link.problem();
  }

  /**
   * {@code <name length>\n<meta length>\n<name><meta><data>}: the event name, its rooms and origin as
   * {@link io.herald.core.event.EventMeta#encode} writes them, and the data (any JSON text).
   */
  static String encode(Broadcast b) {
    String name = b.route().name(), meta = b.route().meta().encode();
    return name.length() + "\n" + meta.length() + "\n" + name + meta + b.data();
  }

  static Broadcast decode(String message) {
    int a = message.indexOf('\n'), c = message.indexOf('\n', a + 1);
    int nameEnd = c + 1 + Integer.parseInt(message, 0, a, 10), metaEnd = nameEnd + Integer.parseInt(message, a + 1, c, 10);
    var meta = io.herald.core.event.EventMeta.decode(message.substring(nameEnd, metaEnd));
    return new Broadcast(new Route(message.substring(c + 1, nameEnd), meta.rooms(), meta.origin()), message.substring(metaEnd));
  }

  private void received(String message) {
    Broadcast b;
    try {
      b = decode(message);
    } catch (RuntimeException e) {  // not one of ours: another program on the same channel
      LOG.warn("websocket: ignored a message on Redis channel {} that is not a Herald broadcast", channel);
      return;
    }
    try {
      deliver.accept(b);
    } catch (RuntimeException e) {  // the hub's journal refused it: this instance's clients miss it, the others do not
      LOG.error("websocket: a broadcast from Redis was not delivered on this instance: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    link.close();
  }
}
