package io.herald.store;

/**
 * Which engine sequences, keeps and shares the channels (HERALD_ENGINE).
 *
 * @param kind     "memory" (one node; with HERALD_HISTORY_DIR the file journal keeps history across restarts) or
 *                 "redis" (several nodes share channels, history and sequences through Redis)
 * @param redisUrl REDIS_URL, for "redis" (default redis://127.0.0.1:6379)
 * @param prefix   HERALD_ENGINE_PREFIX: of every Redis key and pub/sub channel the engine uses (default herald)
 */
public record EngineConfig(String kind, String redisUrl, String prefix) {
  public static final EngineConfig MEMORY = new EngineConfig("memory", "redis://127.0.0.1:6379", "herald");

  public boolean redis() {
    return kind.equals("redis");
  }
}
