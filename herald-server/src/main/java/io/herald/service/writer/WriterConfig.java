package io.herald.service.writer;

import io.herald.config.Env;
import io.herald.store.Namespace;
import io.herald.store.RedisSetting;
import io.herald.store.mysql.DatabaseConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * The writer (seed 002). DATABASE_*, REDIS_URL, RABBITMQ_URL, COUNT_SYNC_INTERVAL,
 * RABBITMQ_PREFETCH_COUNT, DB_MAX_OPEN_CONNS and DB_MAX_IDLE_CONNS are the seed's names and
 * defaults.
 *
 * @param db DATABASE_HOST (db), DATABASE_PORT (3306, new), DATABASE_USERNAME (root),
 *     DATABASE_PASSWORD (password), DATABASE_NAME (auth_api_development), DB_MAX_OPEN_CONNS (10)
 * @param minIdle DB_MAX_IDLE_CONNS (5): idle connections kept warm
 * @param redisUrl REDIS_URL (redis://redis:6379/0)
 * @param rabbitUrl RABBITMQ_URL (amqp://guest:guest@rabbitmq:5672/)
 * @param countSync COUNT_SYNC_INTERVAL (10s)
 * @param prefetch RABBITMQ_PREFETCH_COUNT (1): unacknowledged messages per queue, and the largest
 *     batch
 * @param searchUrl ELASTICSEARCH_URL (unset: indexing off)
 * @param maxBody HERALD_WRITER_MAX_BODY: longest message body in bytes; longer goes to the DLQ
 *     (65535)
 * @param retryDeadline HERALD_WRITER_RETRY_DEADLINE: how long a message waits for the row it needs
 *     (a chat, or the message an update changes) before it is dead-lettered (5m)
 * @param names HERALD_ENGINE_PREFIX: the counters' keys ({@code <prefix>:writer:*}), so writers of
 *     different deployments on one Redis keep their own counts
 */
public record WriterConfig(
    DatabaseConfig db,
    int minIdle,
    String redisUrl,
    String rabbitUrl,
    Duration countSync,
    int prefetch,
    Optional<String> searchUrl,
    int maxBody,
    Duration retryDeadline,
    Namespace names) {

  public static WriterConfig from(Env env) {
    int maxOpen = env.integer("DB_MAX_OPEN_CONNS", 10, 1, 1000);
    DatabaseConfig db =
        new DatabaseConfig(
            env.string("DATABASE_HOST", "db"),
            env.integer("DATABASE_PORT", 3306, 1, 65535),
            env.string("DATABASE_USERNAME", "root"),
            env.stringOrEmpty("DATABASE_PASSWORD", "password"),
            env.string("DATABASE_NAME", "auth_api_development"),
            maxOpen);
    return new WriterConfig(
        db,
        env.integer("DB_MAX_IDLE_CONNS", 5, 0, 1000),
        RedisSetting.read(env, "redis://redis:6379/0", RedisSetting.Use.STORE),
        env.string("RABBITMQ_URL", "amqp://guest:guest@rabbitmq:5672/"),
        env.duration("COUNT_SYNC_INTERVAL", Duration.ofSeconds(10)),
        env.integer("RABBITMQ_PREFETCH_COUNT", 1, 1, 65535),
        env.optional("ELASTICSEARCH_URL"),
        env.integer("HERALD_WRITER_MAX_BODY", 65535, 1, 16 * 1024 * 1024),
        env.duration("HERALD_WRITER_RETRY_DEADLINE", Duration.ofMinutes(5)),
        Namespace.from(env));
  }

  /** Never prints passwords (the URLs may carry them). */
  @Override
  public String toString() {
    return "WriterConfig[db="
        + db
        + ", prefetch="
        + prefetch
        + ", countSync="
        + countSync
        + ", search="
        + (searchUrl.isPresent() ? "on" : "off")
        + "]";
  }
}
