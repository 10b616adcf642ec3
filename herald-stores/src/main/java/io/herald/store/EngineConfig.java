package io.herald.store;

import io.herald.config.Env;

/**
 * Which engine sequences, keeps and shares the channels, and where its server is: read once from
 * the environment and handed to every service that uses a shared engine, so they all read the same
 * variables the same way.
 *
 * @param kind HERALD_ENGINE (memory, redis or nats)
 * @param redisUrl REDIS_URL, for redis (default redis://127.0.0.1:6379): one server, Sentinel with
 *     {@code redis-sentinel://h1:26379,h2:26379/?master=NAME}, or a Redis Cluster with {@code
 *     redis-cluster://h1:7000,h2:7001/}
 * @param names HERALD_ENGINE_PREFIX: every Redis key, pub/sub channel, stream, subject and bucket
 *     of the deployment lives under it (default herald; see {@link Namespace})
 * @param natsUrl NATS_URL, for nats (default nats://127.0.0.1:4222; several servers
 *     comma-separated)
 * @param redisMinReplicas HERALD_REDIS_MIN_REPLICAS: a publish is acknowledged once this many
 *     replicas have it (Redis WAIT; default 0, the master's word alone)
 * @param natsReplicas HERALD_NATS_REPLICAS: copies JetStream keeps of each stream (default 1; 3 on
 *     a cluster of 3 survives losing any one server)
 */
public record EngineConfig(
    EngineKind kind,
    String redisUrl,
    Namespace names,
    String natsUrl,
    int redisMinReplicas,
    int natsReplicas) {
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
  public static final String DEFAULT_NATS_URL = "nats://127.0.0.1:4222";
  public static final EngineConfig MEMORY =
      new EngineConfig(
          EngineKind.MEMORY, DEFAULT_REDIS_URL, Namespace.DEFAULT, DEFAULT_NATS_URL, 0, 1);

  public EngineConfig {
    if (redisMinReplicas < 0)
      throw new IllegalArgumentException("redisMinReplicas must not be negative");
    if (natsReplicas < 1 || natsReplicas > 5)
      throw new IllegalArgumentException("natsReplicas must be 1 to 5");
  }

  /**
   * Reads the engine's variables; a bad value is reported through {@code env} (start-up stops with
   * every error).
   */
  public static EngineConfig from(Env env) {
    return from(env, false);
  }

  /**
   * As {@link #from(Env)}, where REDIS_URL alone (HERALD_ENGINE unset) may choose the Redis engine.
   *
   * @param redisUrlShares whether REDIS_URL alone means "share with the other instances through
   *     this Redis": the websocket seed's meaning (its Socket.IO Redis adapter), which Herald keeps
   *     with the Redis engine rather than a second path of its own. Other services read REDIS_URL
   *     as a store.
   */
  public static EngineConfig from(Env env, boolean redisUrlShares) {
    EngineKind unset =
        redisUrlShares && env.optional("REDIS_URL").isPresent()
            ? EngineKind.REDIS
            : EngineKind.MEMORY;
    EngineKind kind =
        EngineKind.parse(env.choice("HERALD_ENGINE", unset.label(), EngineKind.NAMES));
    // Checked only when it is the engine's: another service may read REDIS_URL as its store
    // (RedisSetting).
    String redisUrl =
        kind == EngineKind.REDIS
            ? RedisSetting.read(env, DEFAULT_REDIS_URL, RedisSetting.Use.ENGINE)
            : env.string("REDIS_URL", DEFAULT_REDIS_URL);
    // JetStream caps a stream's replicas at 5 (its Raft groups).
    return new EngineConfig(
        kind,
        redisUrl,
        Namespace.from(env),
        env.string("NATS_URL", DEFAULT_NATS_URL),
        env.integer("HERALD_REDIS_MIN_REPLICAS", 0, 0, 16),
        env.integer("HERALD_NATS_REPLICAS", 1, 1, 5));
  }

  /** Channels shared with other nodes (Redis or NATS), not kept in this process. */
  public boolean shared() {
    return kind.shared();
  }
}
