package io.herald.service.websocket;

import io.herald.store.redis.Redis;
import io.herald.util.Backoff;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
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
  private final RedisClient client;
  private final String channel;
  private final Consumer<Broadcast> deliver;
  private volatile StatefulRedisConnection<String, String> conn;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile boolean closed;
  private volatile String lastError = "connecting";

  RedisBus(String url, String channel, Consumer<Broadcast> deliver) {
    this.client = Redis.client(url, Duration.ofSeconds(2));
    this.channel = channel;
    this.deliver = deliver;
  }

  /** Connects on a virtual thread, retrying with capped backoff; Lettuce restores the subscription after drops. */
  void start() {
    Thread.ofVirtual().name("websocket-redis-connect").start(() -> {
      Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
      while (!closed) {
        try {
          if (pubSub == null) {
            StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub();
            ps.addListener(new RedisPubSubAdapter<>() {
              @Override
              public void message(String ch, String message) {
                received(message);
              }
            });
            ps.sync().subscribe(channel);
            pubSub = ps;
          }
          conn = client.connect();
          lastError = null;
          LOG.info("websocket: broadcasts shared through Redis channel {}", channel);
          return;
        } catch (RuntimeException e) {
          lastError = e.getClass().getSimpleName();
          Duration wait = backoff.next();
          LOG.warn("websocket: Redis unreachable, retrying in {}: {}", wait, lastError);
          if (!Backoff.sleep(wait)) return;
        }
      }
    });
  }

  /** Completes when Redis has taken the broadcast (every instance then delivers it), or fails when it cannot. */
  CompletionStage<Void> publish(Broadcast b) {
    StatefulRedisConnection<String, String> c = conn;
    if (c == null || !c.isOpen()) return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
    return c.async().publish(channel, encode(b)).thenApply(n -> null);
  }

  /** Null when the bus works, else why not (for /health; never the URL, which may hold a password). */
  String problem() {
    StatefulRedisPubSubConnection<String, String> ps = pubSub;
    StatefulRedisConnection<String, String> c = conn;
    if (ps == null || c == null) return lastError == null ? "connecting" : lastError;
    return ps.isOpen() && c.isOpen() ? null : "disconnected";
  }

  /** {@code <route length>\n<route><data>}: the route holds newlines, the data is any JSON text. */
  static String encode(Broadcast b) {
    String type = b.route().type();
    return type.length() + "\n" + type + b.data();
  }

  static Broadcast decode(String message) {
    int nl = message.indexOf('\n');
    int len = Integer.parseInt(message, 0, nl, 10);
    String type = message.substring(nl + 1, nl + 1 + len);
    return new Broadcast(Route.parse(type), message.substring(nl + 1 + len));
  }

  private void received(String message) {
    Broadcast b;
    try {
      b = decode(message);
    } catch (RuntimeException e) {  // not one of ours: another program on the same channel
      LOG.warn("websocket: ignored a message on Redis channel {} that is not a Herald broadcast", channel);
      return;
    }
    deliver.accept(b);
  }

  @Override
  public void close() {
    closed = true;
    StatefulRedisPubSubConnection<String, String> ps = pubSub;
    if (ps != null) ps.close();
    StatefulRedisConnection<String, String> c = conn;
    if (c != null) c.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
