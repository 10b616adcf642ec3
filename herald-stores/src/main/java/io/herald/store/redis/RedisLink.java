package io.herald.store.redis;

import io.herald.util.Backoff;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command connection and a subscription to one channel, as a service that shares state through
 * Redis needs them (telemetry's store, websocket's broadcast bus): connected on a virtual thread
 * with capped backoff, so start-up never waits for Redis; afterwards Lettuce reconnects both by
 * itself and restores the subscription.
 */
public final class RedisLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
  private final RedisClient client;
  private final String name;
  private final String channel;
  private final Consumer<String> onMessage;
  private volatile StatefulRedisConnection<String, String> conn;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile String lastError = "connecting";
  private volatile boolean closed;

  /**
   * @param name who uses it, for the log ("telemetry store")
   * @param onMessage each message on {@code channel}, on Lettuce's thread
   * @param onResubscribed after the subscription came back from a drop: messages published
   *     meanwhile were missed
   */
  public RedisLink(
      String url,
      String name,
      String channel,
      Consumer<String> onMessage,
      Runnable onResubscribed) {
    this.client = Redis.client(url, Duration.ofSeconds(2));
    this.name = name;
    this.channel = channel;
    this.onMessage = onMessage;
    client.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(
              RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (connection == pubSub) onResubscribed.run();
          }
        });
  }

  public void start() {
    Thread.ofVirtual()
        .name("redis-connect")
        .start(
            () -> {
              Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
              while (!closed) {
                try {
                  if (pubSub
                      == null) { // kept across retries: a later failure must not open a second
                    // subscription
                    StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub();
                    ps.addListener(
                        new RedisPubSubAdapter<>() {
                          @Override
                          public void message(String ch, String message) {
                            onMessage.accept(message);
                          }
                        });
                    ps.sync().subscribe(channel);
                    pubSub = ps;
                  }
                  conn = client.connect();
                  lastError = null;
                  LOG.info("{}: Redis connected, subscribed to {}", name, channel);
                  return;
                } catch (RuntimeException e) {
                  lastError =
                      e.getClass().getSimpleName(); // not the message: it may name the server
                  Duration wait = backoff.next();
                  LOG.warn("{}: Redis unreachable, retrying in {}: {}", name, wait, lastError);
                  if (!Backoff.sleep(wait)) return;
                }
              }
            });
  }

  /** The command connection, or null until the first connect succeeded. */
  public StatefulRedisConnection<String, String> connection() {
    return conn;
  }

  /**
   * Null when both connections are open, else why not (for /health; never the URL, which may hold a
   * password).
   */
  public String problem() {
    return Redis.problem(pubSub, conn, lastError);
  }

  @Override
  public void close() {
    closed = true;
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
