package io.herald.store;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineFactory;
import io.herald.core.history.Journal;
import io.herald.core.hub.Hub;
import io.herald.core.hub.HubConfig;
import io.herald.core.hub.LocalEngine;
import io.herald.store.file.FileJournal;
import io.herald.store.nats.NatsEngine;
import io.herald.store.nats.NatsEngineConfig;
import io.herald.store.redis.Redis;
import io.herald.store.redis.RedisEngine;
import io.herald.store.redis.RedisEngineConfig;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines Herald has: memory (with the file journal when the hub has a journal directory),
 * Redis or NATS JetStream, as {@code HERALD_ENGINE} says.
 */
public record Stores(EngineConfig config) implements EngineFactory {
  private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

  /** One process: memory, and the file journal when the hub has a directory for it. */
  public static Stores local() {
    return new Stores(EngineConfig.MEMORY);
  }

  @Override
  public Journal journal(HubConfig hub) {
    if (hub.journalDir().isEmpty()) return Journal.NONE;
    try {
      return FileJournal.open(hub.journalDir().get(), hub.history().maxEvents());
    } catch (IOException e) {
      throw new IllegalStateException("HERALD_HISTORY_DIR: " + e.getMessage(), e);
    }
  }

  @Override
  public Engine engine(Hub hub, HubConfig hubConfig) {
    if (!config.shared())
      return new LocalEngine(hub, hubConfig.journalDir().isPresent() ? "journal" : "memory");
    Duration age =
        hubConfig.history().maxAge().isPositive()
            ? hubConfig.history().maxAge()
            : Duration.ofMillis(1);
    int max = Math.max(1, hubConfig.history().maxEvents());
    if (config.kind() == EngineKind.NATS) {
      LOG.info(
          "engine: NATS JetStream (channels shared with every node on the same NATS, stream prefix {}, {} replica(s))",
          config.names(),
          config.natsReplicas());
      return nats(config, config.natsUrl(), max, age, config.names());
    }
    LOG.info(
        "engine: Redis{} (channels shared with every node on the same Redis, key prefix {}, {})",
        Redis.cluster(config.redisUrl())
            ? " Cluster"
            : Redis.sentinel(config.redisUrl()) ? " behind Sentinel" : "",
        config.names(),
        config.redisMinReplicas() == 0
            ? "publishes acknowledged by the master"
            : "publishes acknowledged once " + config.redisMinReplicas() + " replica(s) have them");
    return redis(config, config.redisUrl(), max, age, config.names());
  }

  /**
   * A shared engine apart from the hub's, for a service that keeps a log with its own retention
   * (telemetry): NATS JetStream for a {@code nats:} URL, Redis for any other. With {@link #engine}
   * the only places an engine implementation is built, so that no service names one
   * (herald-server's ArchitectureTest).
   */
  public static Engine shared(
      EngineConfig engine, String url, int maxEvents, Duration maxAge, Namespace names) {
    return url.startsWith("nats:")
        ? nats(engine, url, maxEvents, maxAge, names)
        : redis(engine, url, maxEvents, maxAge, names);
  }

  private static Engine nats(
      EngineConfig engine, String url, int maxEvents, Duration maxAge, Namespace names) {
    return new NatsEngine(
            new NatsEngineConfig(url, maxEvents, maxAge, names, engine.natsReplicas()))
        .start();
  }

  private static Engine redis(
      EngineConfig engine, String url, int maxEvents, Duration maxAge, Namespace names) {
    return new RedisEngine(
            new RedisEngineConfig(url, maxEvents, maxAge, names, engine.redisMinReplicas()))
        .start();
  }
}
