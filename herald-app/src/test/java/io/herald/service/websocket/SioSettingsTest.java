package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.ConfigException;
import io.herald.config.Env;
import io.herald.testing.RawWsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The websocket service's Engine.IO and Socket.IO settings as a user sees them: heartbeat timing, payload cap, tokens. */
class SioSettingsTest {
  /**
   * socket.io-client drops a connection whose next ping is later than pingInterval + pingTimeout: with a short
   * pingTimeout, pings must go out on the dot. Four sockets opened at different moments each get their first ping
   * within 80 ms of the interval (a sweep every interval/4, as before, was up to 250 ms late here).
   */
  @Test
  void pingsGoOutEveryPingIntervalOnTime() throws Exception {
    try (SioServer s = new SioServer(Map.of("HEARTBEAT_INTERVAL", "1000", "CONNECTION_TIMEOUT", "5000"))) {
      List<Long> firstPings = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Thread.sleep(97 * i);  // spread over a would-be sweep period
        try (RawWsClient ws = new RawWsClient(s.port, "/socket.io/?EIO=4&transport=websocket")) {
          assertThat(ws.next().text()).startsWith("0{");
          long t0 = System.nanoTime();
          assertThat(ws.next().text()).isEqualTo("2");
          firstPings.add((System.nanoTime() - t0) / 1_000_000);
        }
      }
      assertThat(firstPings).allSatisfy(ms -> assertThat(ms).isBetween(950L, 1080L));
    }
  }

  @Test
  void aMaxPayloadOverTheCapIsAnErrorAtStartNotClamped() {
    Env env = Env.of(Map.of("HERALD_SIO_MAX_PAYLOAD", "32MiB"));
    WebsocketConfig.from(env);
    assertThatThrownBy(env::validate).isInstanceOf(ConfigException.class).hasMessageContaining("HERALD_SIO_MAX_PAYLOAD");
    Env ok = Env.of(Map.of("HERALD_SIO_MAX_PAYLOAD", "16MiB"));
    assertThat(WebsocketConfig.from(ok).eio().maxPayload()).isEqualTo(16 * 1024 * 1024);
    assertThat(WebsocketConfig.from(Env.of(Map.of())).eio().maxPayload()).as("Engine.IO's default").isEqualTo(1_000_000);
  }

  @Test
  void withRequireTokenAnonymousSocketsAreRefused() throws Exception {
    try (SioServer server = new SioServer(Map.of("HERALD_SIO_REQUIRE_TOKEN", "true")); SioDriver c = new SioDriver(server.port)) {
      c.connect("anon", List.of("websocket"), Map.of(), false);
      assertThat(c.await("anon", r -> r.path("ev").asText().equals("connect_error")).path("message").asText())
          .isEqualTo("Authentication error: a token is required (auth: { token })");
      assertThat(c.connected("u", List.of("websocket"), Map.of("token", SioServer.token("u1", "user"))).path("userId").asText())
          .isEqualTo("u1");
    }
  }
}
