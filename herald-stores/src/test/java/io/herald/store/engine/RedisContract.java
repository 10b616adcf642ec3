package io.herald.store.engine;

import static org.awaitility.Awaitility.await;

import io.herald.core.engine.Engine;
import io.herald.core.engine.SharedEngineContract;
import io.herald.store.Namespace;
import io.herald.store.redis.RedisEngine;
import io.herald.store.redis.RedisEngineConfig;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;

/**
 * The shared contract on a Redis topology: a subclass gives the URL nodes use and a connection to
 * the master.
 */
abstract class RedisContract extends SharedEngineContract {
  protected final String prefix = "herald-test-" + UUID.randomUUID();

  /** REDIS_URL as a node gets it. */
  protected abstract String url();

  /** The test's own connection to the master, to look at and change the data. */
  protected abstract StatefulRedisConnection<String, String> redis();

  @Override
  protected Engine engine(int maxEvents) {
    return new RedisEngine(
            new RedisEngineConfig(
                url(), maxEvents, Duration.ofMinutes(5), new Namespace(prefix, "")))
        .start();
  }

  @Override
  protected int trimSlack() {
    return 100; // Redis trims a stream in whole nodes of 100 entries
  }

  @Override
  protected void awaitSubscribed(String channel) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis().sync().pubsubChannels(prefix + ":{" + channel + "}:live").size() == 1);
  }

  @Override
  protected void loseChannel() {
    redis()
        .sync()
        .del(
            prefix + ":{" + channel + "}:m",
            prefix + ":{" + channel + "}:s"); // a restart without persistence
  }
}
