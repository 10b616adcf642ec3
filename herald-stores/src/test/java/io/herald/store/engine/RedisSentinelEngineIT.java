package io.herald.store.engine;

import io.herald.testkit.RedisSentinelSet;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The whole contract with Herald behind Redis Sentinel (a master, a replica, three sentinels of the
 * test's own).
 */
class RedisSentinelEngineIT extends RedisContract {
  private static RedisSentinelSet set;
  private RedisClient admin;
  private StatefulRedisConnection<String, String> redis;

  @BeforeAll
  static void startSentinels() throws Exception {
    set = new RedisSentinelSet(1).start();
  }

  @AfterAll
  static void stopSentinels() throws Exception {
    set.close();
  }

  @BeforeEach
  void connect() throws Exception {
    admin = RedisClient.create("redis://127.0.0.1:" + set.masterPort());
    redis = admin.connect();
  }

  @AfterEach
  void disconnect() {
    admin.shutdown();
  }

  @Override
  protected String url() {
    return set.url();
  }

  @Override
  protected StatefulRedisConnection<String, String> redis() {
    return redis;
  }
}
