package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.ConfigException;
import io.herald.config.Env;
import io.herald.store.redis.Redis;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConfigTest {
  private static EngineConfig read(Map<String, String> vars) throws ConfigException {
    Env env = Env.of(vars);
    EngineConfig c = EngineConfig.from(env);
    env.validate();
    return c;
  }

  @Test
  void defaultsAreOneLocalServerAndNoReplicas() throws ConfigException {
    EngineConfig c = read(Map.of());
    assertThat(c.kind()).isEqualTo(EngineKind.MEMORY);
    assertThat(c.redisUrl()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(c.natsUrl()).isEqualTo("nats://127.0.0.1:4222");
    assertThat(c.redisMinReplicas()).isZero();
    assertThat(c.natsReplicas()).isEqualTo(1);
  }

  @Test
  void theKindIsParsedOnceWhateverItsCase() throws ConfigException {
    assertThat(read(Map.of("HERALD_ENGINE", "NATS", "HERALD_NATS_REPLICAS", "3")))
        .extracting(EngineConfig::kind, EngineConfig::natsReplicas)
        .containsExactly(EngineKind.NATS, 3);
    assertThatThrownBy(() -> read(Map.of("HERALD_ENGINE", "kafka")))
        .hasMessageContaining("expected one of memory, redis, nats");
  }

  @Test
  void aSentinelUrlTakesTheMastersNameInEitherSpelling() throws ConfigException {
    String url = "redis-sentinel://127.0.0.1:26379,127.0.0.1:26380/?master=mymaster";
    assertThat(
            read(Map.of(
                    "HERALD_ENGINE", "redis", "REDIS_URL", url, "HERALD_REDIS_MIN_REPLICAS", "1"))
                .redisMinReplicas())
        .isEqualTo(1);
    assertThat(Redis.sentinel(url)).isTrue();
    assertThat(
            Redis.sentinel(
                "redis-sentinel://127.0.0.1:26379/0?sentinelMasterId=mymaster&timeout=3s"))
        .isTrue();
    assertThat(Redis.sentinel("redis-sentinel://127.0.0.1:26379/0#mymaster")).isTrue();
    assertThat(Redis.sentinel("redis://127.0.0.1:6379")).isFalse();
  }

  @Test
  void aSentinelUrlWithoutTheMastersNameStopsStartUpWithoutEchoingThePassword() {
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "HERALD_ENGINE",
                        "redis",
                        "REDIS_URL",
                        "redis-sentinel://:s3cret@127.0.0.1:26379/")))
        .hasMessageContaining(
            "REDIS_URL: a redis-sentinel URL needs the master's name (?master=NAME)")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(
            () -> read(Map.of("HERALD_ENGINE", "redis", "REDIS_URL", "http://user:s3cret@x")))
        .hasMessageContaining("REDIS_URL")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aClusterUrlListsItsSeedNodes() throws ConfigException {
    String url = "redis-cluster://:s3cret@127.0.0.1:7000,127.0.0.1:7001,[::1]:7002/?timeout=3s";
    assertThat(read(Map.of("HERALD_ENGINE", "redis", "REDIS_URL", url)).redisUrl()).isEqualTo(url);
    assertThat(Redis.cluster(url)).isTrue();
    assertThat(Redis.sentinel(url)).isFalse();
    assertThat(Redis.cluster("rediss-cluster://10.0.0.1:6379")).isTrue();
    assertThat(Redis.cluster("redis://127.0.0.1:6379")).isFalse();
  }

  @Test
  void aMalformedClusterUrlStopsStartUpWithoutEchoingThePassword() {
    for (String bad :
        new String[] {
          "redis-cluster://:s3cret@",
          "redis-cluster://:s3cret@h1:7000,,h2:7001",
          "redis-cluster://:s3cret@h1/",
          "redis-cluster://:s3cret@h1:7000/3"
        }) {
      assertThatThrownBy(() -> read(Map.of("HERALD_ENGINE", "redis", "REDIS_URL", bad)))
          .as(bad)
          .hasMessageContaining("REDIS_URL: ")
          .hasMessageNotContaining("s3cret");
    }
  }

  @Test
  void replicaCountsOutsideTheirRangeAreRefused() {
    assertThatThrownBy(() -> read(Map.of("HERALD_NATS_REPLICAS", "7")))
        .hasMessageContaining("HERALD_NATS_REPLICAS");
    assertThatThrownBy(() -> read(Map.of("HERALD_REDIS_MIN_REPLICAS", "-1")))
        .hasMessageContaining("HERALD_REDIS_MIN_REPLICAS");
  }
}
