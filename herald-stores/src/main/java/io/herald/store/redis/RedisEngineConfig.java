package io.herald.store.redis;

import io.herald.store.Namespace;
import java.time.Duration;

/**
 * The Redis engine ({@code HERALD_ENGINE=redis}).
 *
 * @param url REDIS_URL (default redis://127.0.0.1:6379)
 * @param maxEvents history kept per channel (HERALD_HISTORY_SIZE)
 * @param maxAge and for how long (HERALD_HISTORY_TTL); a channel's sequence and base outlive it (a
 *     day at least), so a quiet channel does not look lost to the nodes that serve it
 * @param names every key and pub/sub channel, under HERALD_ENGINE_PREFIX, to share one Redis
 *     between deployments
 * @param minReplicas HERALD_REDIS_MIN_REPLICAS: a publish is acknowledged only once this many
 *     replicas have it (Redis WAIT, up to {@link #WAIT_TIMEOUT}); 0 acknowledges on the master's
 *     word alone
 */
public record RedisEngineConfig(
    String url, int maxEvents, Duration maxAge, Namespace names, int minReplicas) {
  /** How long a publish waits for its replicas before it is refused (503) as not acknowledged. */
  public static final Duration WAIT_TIMEOUT = Duration.ofSeconds(1);

  public RedisEngineConfig {
    if (maxEvents < 1) throw new IllegalArgumentException("maxEvents must be positive");
    if (maxAge.toMillis() < 1) throw new IllegalArgumentException("maxAge must be at least 1 ms");
    if (minReplicas < 0) throw new IllegalArgumentException("minReplicas must not be negative");
  }

  public RedisEngineConfig(String url, int maxEvents, Duration maxAge, Namespace names) {
    this(url, maxEvents, maxAge, names, 0);
  }

  String meta(String channel) {
    return names.redisChannelKey(channel, "m");
  }

  String stream(String channel) {
    return names.redisChannelKey(channel, "s");
  }

  String live(String channel) {
    return names.redisChannelKey(channel, "live");
  }

  /** The channel a pub/sub name belongs to, or null when it is not one of this engine's. */
  String channelOf(String live) {
    return names.redisChannelOf(live, "live");
  }

  /** A shared value's key (SharedState). */
  String state(String key) {
    return names.redisKey("state", key);
  }

  long metaTtlMillis() {
    return Math.max(2 * maxAge.toMillis(), Duration.ofDays(1).toMillis());
  }
}
