package io.herald.service.telemetry;

import io.herald.config.Env;
import io.herald.store.EngineConfig;
import io.herald.store.EngineKind;
import io.herald.store.Namespace;
import io.herald.store.RedisSetting;
import io.herald.transport.auth.JwtVerifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The telemetry service (seed 001). PORT, REDIS_URL, JWT_SECRET, WORKER_POOL_SIZE,
 * LONG_POLL_TIMEOUT_MS, ENVIRONMENT and CORS_ALLOWED_ORIGINS are the seed's names and defaults.
 *
 * @param engineUrl where the log is kept, shared by every instance on it: REDIS_URL (with
 *     HERALD_ENGINE=redis, the engine's default when unset), or NATS_URL with HERALD_ENGINE=nats (a
 *     {@code nats://} URL); empty: the memory engine, in this process
 * @param jwtSecret JWT_SECRET as bytes (raw, or base64-decoded when HERALD_JWT_SECRET_BASE64=true);
 *     empty when unset, and then the service cannot run
 * @param workerPoolSize WORKER_POOL_SIZE: most publishes in flight at once; more get 503 (100)
 * @param longPollTimeout LONG_POLL_TIMEOUT_MS: a parked poll with nothing new is answered empty
 *     after this (25 s)
 * @param environment ENVIRONMENT (development); shown in /health
 * @param corsOrigins CORS_ALLOWED_ORIGINS, comma-separated; empty: no CORS headers (same origin
 *     only)
 * @param eventTtl EVENT_TTL: events older than this are dropped, in both stores (24h)
 * @param internalApiKey INTERNAL_API_KEY; empty: internal routes are served to loopback clients
 *     only
 * @param jwtLeeway HERALD_JWT_LEEWAY: clock skew allowed on exp and nbf (30s)
 * @param maxPerStream HERALD_STREAM_MAX_EVENTS: most events kept, all streams together: the log's
 *     window (100000)
 * @param sseHeartbeat HERALD_SSE_HEARTBEAT: comment line sent on idle SSE streams (15s)
 * @param names HERALD_ENGINE_PREFIX: the log's keys or streams on a shared engine ({@code
 *     <prefix>:telemetry:*} on Redis, {@code <prefix>-telemetry_*} on NATS), so deployments sharing
 *     a server never meet
 * @param engine the node's engine settings (HERALD_ENGINE, replicas), which the log follows on a
 *     shared engine
 */
public record TelemetryConfig(
    Optional<String> engineUrl,
    byte[] jwtSecret,
    int workerPoolSize,
    Duration longPollTimeout,
    String environment,
    List<String> corsOrigins,
    Duration eventTtl,
    Optional<String> internalApiKey,
    Duration jwtLeeway,
    int maxPerStream,
    Duration sseHeartbeat,
    Namespace names,
    EngineConfig engine) {

  public static TelemetryConfig from(Env env) {
    byte[] secret = JwtVerifier.secret(env);
    Duration longPoll =
        Duration.ofMillis(env.integer("LONG_POLL_TIMEOUT_MS", 25_000, 1, 3_600_000));
    // REDIS_URL is the seed's; with HERALD_ENGINE=redis or nats and no REDIS_URL, the node's shared
    // engine server.
    EngineConfig engine = EngineConfig.from(env);
    Optional<String> redis =
        env.optional("REDIS_URL")
            .filter(u -> engine.kind() != EngineKind.NATS)
            .map(
                u ->
                    engine.kind() == EngineKind.REDIS
                        ? engine.redisUrl() // read and checked as the engine's
                        : RedisSetting.read(env, u, RedisSetting.Use.STORE))
            .or(
                () ->
                    switch (engine.kind()) {
                      case REDIS -> Optional.of(engine.redisUrl());
                      case NATS -> Optional.of(engine.natsUrl());
                      case MEMORY -> Optional.empty();
                    });
    return new TelemetryConfig(
        redis,
        secret,
        env.integer("WORKER_POOL_SIZE", 100, 1, 100_000),
        longPoll,
        env.string("ENVIRONMENT", "development"),
        env.list("CORS_ALLOWED_ORIGINS", List.of()),
        env.duration("EVENT_TTL", Duration.ofHours(24)),
        env.optional("INTERNAL_API_KEY"),
        JwtVerifier.leeway(env),
        env.integer("HERALD_STREAM_MAX_EVENTS", 100_000, 1, 10_000_000),
        env.duration("HERALD_SSE_HEARTBEAT", Duration.ofSeconds(15)),
        engine.names(),
        engine);
  }

  public boolean jwtConfigured() {
    return jwtSecret.length > 0;
  }

  /** Never prints the secret or the key. */
  @Override
  public String toString() {
    return "TelemetryConfig[store="
        + engineUrl.map(u -> u.startsWith("nats:") ? "nats" : "redis").orElse("memory")
        + ", workerPoolSize="
        + workerPoolSize
        + ", longPollTimeout="
        + longPollTimeout
        + ", environment="
        + environment
        + ", eventTtl="
        + eventTtl
        + ", internalApiKey="
        + (internalApiKey.isPresent() ? "set" : "unset")
        + "]";
  }
}
