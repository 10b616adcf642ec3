package io.herald.store;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineFactory;
import io.herald.core.engine.LocalEngine;
import io.herald.core.history.Journal;
import io.herald.core.hub.Hub;
import io.herald.core.hub.HubConfig;
import io.herald.store.file.FileJournal;
import io.herald.store.redis.RedisEngine;
import io.herald.store.redis.RedisEngineConfig;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines Herald has: memory (with the file journal when the hub has a journal directory), Redis or NATS JetStream, as
 * {@code HERALD_ENGINE} says.
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
    if (!config.shared()) return new LocalEngine(hub, hubConfig.journalDir().isPresent() ? "journal" : "memory");
    Duration age = hubConfig.history().maxAge().isPositive() ? hubConfig.history().maxAge() : Duration.ofMillis(1);
    if (config.kind().equals("nats")) {
      LOG.info("engine: NATS JetStream (channels shared with every node on the same NATS, stream prefix {})", config.names());
      return new io.herald.store.nats.NatsEngine(new io.herald.store.nats.NatsEngineConfig(config.natsUrl(),
          Math.max(1, hubConfig.history().maxEvents()), age, config.names())).start();
    }
    LOG.info("engine: Redis (channels shared with every node on the same Redis, key prefix {})", config.names());
    return new RedisEngine(new RedisEngineConfig(config.redisUrl(), Math.max(1, hubConfig.history().maxEvents()), age, config.names())).start();
  }
}
