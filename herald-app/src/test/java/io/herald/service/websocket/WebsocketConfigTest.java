package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebsocketConfigTest {
  @Test
  void theRedisBroadcastChannelLivesUnderTheDeploymentsPrefix() {
    assertThat(WebsocketConfig.from(Env.of(Map.of())).redisChannel()).isEqualTo("herald:websocket:broadcasts");
    assertThat(WebsocketConfig.from(Env.of(Map.of("HERALD_ENGINE_PREFIX", "tenant-a"))).redisChannel())
        .as("two deployments on one Redis never hear each other's broadcasts").isEqualTo("tenant-a:websocket:broadcasts");
    assertThat(WebsocketConfig.from(Env.of(Map.of("HERALD_ENGINE_PREFIX", "tenant-a", "HERALD_SIO_REDIS_CHANNEL", "mine"))).redisChannel())
        .isEqualTo("mine");
  }
}
