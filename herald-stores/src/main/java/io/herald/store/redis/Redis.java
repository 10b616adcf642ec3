package io.herald.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How every Herald service talks to Redis (Lettuce): reconnect by itself, and while disconnected fail commands at
 * once instead of queueing them, so a caller answers 503 or retries with backoff rather than hanging.
 *
 * <p>A {@code redis-sentinel://} URL puts the client behind Redis Sentinel: Lettuce asks the sentinels for the master
 * on every (re)connect, so after a failover the next reconnect reaches the promoted replica. The reconnect delay is
 * capped at {@link #MAX_RECONNECT_DELAY} (Lettuce's default grows to 30 s), so that a node is back within about a
 * second of the new master being announced instead of sleeping through it.
 */
public final class Redis {
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  /**
   * One set of I/O threads for every Redis client of the process (services, engine, shared state): on a small
   * machine a set per client is a dozen idle threads each. Lettuce's threads are daemons; the set lives as long as
   * the process.
   */
  private static final class Shared {
    static final ClientResources RESOURCES = DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS)).build();
  }

  private Redis() {}

  /** @param timeout how long one command may take before it fails */
  public static RedisClient client(String url, Duration timeout) {
    RedisClient client = RedisClient.create(Shared.RESOURCES, RedisUrl.parse(url));
    client.setOptions(ClientOptions.builder().autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
    return client;
  }

  /** Whether the URL names Redis Sentinel rather than one server. */
  public static boolean sentinel(String url) {
    return !RedisUrl.parse(url).getSentinels().isEmpty();
  }

  /**
   * Null when both connections are open, else why not (for /health; never the URL, which may hold a password).
   *
   * @param lastError the last connect failure's exception name, null once connected
   */
  static String problem(StatefulRedisPubSubConnection<String, String> pubSub, StatefulRedisConnection<String, String> conn,
      String lastError) {
    if (pubSub == null || conn == null) return lastError == null ? "connecting" : lastError;
    return pubSub.isOpen() && conn.isOpen() ? null : "Redis connection lost, reconnecting";
  }

  /** For tests and the start-up log: the same URL as Lettuce reads it. */
  static RedisURI uri(String url) {
    return RedisUrl.parse(url);
  }
}
