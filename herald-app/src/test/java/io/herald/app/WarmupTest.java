package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.Env;
import io.herald.core.hub.HubConfig;
import io.herald.service.pushhub.PushHubConfig;
import io.herald.transport.server.ServerConfig;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The warm-up drives a private push-hub through real loopback sockets, then leaves nothing behind.
 */
class WarmupTest {
  @Test
  void everyPrivateClientReceivesEveryWarmUpEventAndThePrivateServerIsGoneAfterwards()
      throws Exception {
    int clients = 20;
    Warmup.Result r =
        Warmup.run(
            new WarmupConfig(Duration.ofMillis(300), clients),
            new ServerConfig("0.0.0.0", 8080, 2, 64 * 1024, Duration.ofSeconds(1)),
            HubConfig.DEFAULT,
            PushHubConfig.DEFAULT);
    assertThat(r.publishes()).isPositive();
    assertThat(r.handshakes()).as("WebSockets opened and closed beside the publishes").isPositive();
    // Each event reaches each client as a frame of well over 100 bytes (the envelope around the
    // 120-byte body).
    assertThat(r.receivedBytes()).isGreaterThan(r.publishes() * clients * 100);
    assertThat(r.millis()).isGreaterThanOrEqualTo(300);
    assertThatThrownBy(() -> new Socket("127.0.0.1", r.port()).close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void durationOutsideZeroToOneMinuteIsAConfigurationError() {
    assertThatThrownBy(
            () -> AppConfig.from(Env.of(Map.of("HERALD_WARMUP", "2m")), ServiceName.PUSH_HUB))
        .hasMessageContaining("HERALD_WARMUP");
    assertThat(WarmupConfig.DEFAULT.enabled()).isFalse();
  }
}
