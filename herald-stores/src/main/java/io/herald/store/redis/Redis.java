package io.herald.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;

/**
 * How every Herald service talks to Redis (Lettuce): reconnect by itself, and while disconnected fail commands at
 * once instead of queueing them, so a caller answers 503 or retries with backoff rather than hanging.
 */
public final class Redis {
  private Redis() {}

  /** @param timeout how long one command may take before it fails */
  public static RedisClient client(String url, Duration timeout) {
    RedisClient client = RedisClient.create(RedisURI.create(url));
    client.setOptions(ClientOptions.builder().autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
    return client;
  }

  /**
   * Null when both connections are open, else why not (for /health; never the URL, which may hold a password).
   *
   * @param lastError the last connect failure's exception name, null once connected
   */
  static String problem(io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String> pubSub,
      io.lettuce.core.api.StatefulRedisConnection<String, String> conn, String lastError) {
    if (pubSub == null || conn == null) return lastError == null ? "connecting" : lastError;
    return pubSub.isOpen() && conn.isOpen() ? null : "Redis connection lost, reconnecting";
  }
}
