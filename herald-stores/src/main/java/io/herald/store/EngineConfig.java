package io.herald.store;

/**
 * Which engine sequences, keeps and shares the channels (HERALD_ENGINE).
 *
 * @param kind     "memory" (one node; with HERALD_HISTORY_DIR the file journal keeps history across restarts),
 *                 "redis" or "nats" (several nodes share channels, history and sequences through Redis or NATS JetStream)
 * @param redisUrl REDIS_URL, for "redis" (default redis://127.0.0.1:6379)
 * @param names    HERALD_ENGINE_PREFIX: every Redis key, pub/sub channel, stream, subject and bucket of the deployment
 *                 lives under it (default herald; see {@link Namespace})
 * @param natsUrl  NATS_URL, for "nats" (default nats://127.0.0.1:4222)
 */
public record EngineConfig(String kind, String redisUrl, Namespace names, String natsUrl) {
  public static final EngineConfig MEMORY = new EngineConfig("memory", "redis://127.0.0.1:6379", Namespace.DEFAULT, "nats://127.0.0.1:4222");

  public boolean redis() {
    return kind.equals("redis");
  }

  /** Channels shared with other nodes (Redis or NATS), not kept in this process. */
  public boolean shared() {
    return !kind.equals("memory");
  }
}
