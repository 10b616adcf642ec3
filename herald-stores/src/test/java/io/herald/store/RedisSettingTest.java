package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.ConfigException;
import io.herald.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisSettingTest {
  private static String read(Map<String, String> vars, RedisSetting.Use use)
      throws ConfigException {
    Env env = Env.of(vars);
    String url = RedisSetting.read(env, "redis://redis:6379/0", use);
    env.validate();
    return url;
  }

  @Test
  void unsetIsTheSeedsDefaultAndSetIsTheValue() throws ConfigException {
    assertThat(read(Map.of(), RedisSetting.Use.STORE)).isEqualTo("redis://redis:6379/0");
    assertThat(read(Map.of("REDIS_URL", "redis://127.0.0.1:6379/3"), RedisSetting.Use.STORE))
        .isEqualTo("redis://127.0.0.1:6379/3");
  }

  @Test
  void aBadUrlStopsStartUpWithoutQuotingIt() {
    assertThatThrownBy(
            () -> read(Map.of("REDIS_URL", "mysql://root:hunter2@db/x"), RedisSetting.Use.STORE))
        .hasMessageContaining("REDIS_URL")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () ->
                read(
                    Map.of("REDIS_URL", "redis-sentinel://:hunter2@h1:26379/0"),
                    RedisSetting.Use.ENGINE))
        .hasMessageContaining("master's name")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aClusterIsTheEnginesOnly() throws ConfigException {
    String cluster = "redis-cluster://h1:7000,h2:7001/";
    assertThat(read(Map.of("REDIS_URL", cluster), RedisSetting.Use.ENGINE)).isEqualTo(cluster);
    assertThatThrownBy(() -> read(Map.of("REDIS_URL", cluster), RedisSetting.Use.STORE))
        .hasMessageContaining("redis-cluster URL is for the engine");
  }
}
