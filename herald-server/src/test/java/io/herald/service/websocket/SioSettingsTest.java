package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.ConfigException;
import io.herald.config.Env;
import io.herald.testkit.RawWsClient;
import io.herald.testkit.SioDriver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The websocket service's Engine.IO and Socket.IO settings as a user sees them: heartbeat timing,
 * payload cap, tokens.
 */
class SioSettingsTest {
  /**
   * socket.io-client drops a connection whose next ping is later than pingInterval + pingTimeout:
   * pings must go out every HEARTBEAT_INTERVAL, timed per connection, not by the loop's sweep that
   * checks timeouts. That sweep runs every quarter of the shortest timeout, here of 31 s
   * (CONNECTION_TIMEOUT plus the interval; the write timeout is longer): pings sent by it would
   * come 7.75 s apart, on the interval they come every second. The bounds are seconds wide, so no
   * load on the machine moves a ping across them: a timer never fires early, and 3 s of lateness is
   * far beyond it.
   */
  @Test
  void pingsFollowThePingIntervalNotTheTimeoutSweep() throws Exception {
    try (SioServer s =
        new SioServer(
            Map.of(
                "HEARTBEAT_INTERVAL",
                "1000",
                "CONNECTION_TIMEOUT",
                "30000",
                "HERALD_WS_WRITE_TIMEOUT",
                "60s"))) {
      long before =
          System.nanoTime(); // before the server has the connection, so before it can time anything
      try (RawWsClient ws = new RawWsClient(s.port, "/socket.io/?EIO=4&transport=websocket")) {
        assertThat(ws.next().text()).startsWith("0{");
        for (int k = 1; k <= 3; k++) {
          assertThat(ws.next().text()).isEqualTo("2");
          long ms = (System.nanoTime() - before) / 1_000_000;
          assertThat(ms)
              .as("ping %d, ms after connecting", k)
              .isBetween(k * 1_000L, k * 1_000L + 3_000);
        }
      }
    }
  }

  @Test
  void aMaxPayloadOverTheCapIsAnErrorAtStartNotClamped() {
    Env env = Env.of(Map.of("HERALD_SIO_MAX_PAYLOAD", "32MiB"));
    WebsocketConfig.from(env);
    assertThatThrownBy(env::validate)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HERALD_SIO_MAX_PAYLOAD");
    Env ok = Env.of(Map.of("HERALD_SIO_MAX_PAYLOAD", "16MiB"));
    assertThat(WebsocketConfig.from(ok).eio().maxPayload()).isEqualTo(16 * 1024 * 1024);
    assertThat(WebsocketConfig.from(Env.of(Map.of())).eio().maxPayload())
        .as("Engine.IO's default")
        .isEqualTo(1_000_000);
  }

  @Test
  void withRequireTokenAnonymousSocketsAreRefused() throws Exception {
    try (SioServer server = new SioServer(Map.of("HERALD_SIO_REQUIRE_TOKEN", "true"));
        SioDriver c = new SioDriver(server.port)) {
      c.connect("anon", List.of("websocket"), Map.of(), false);
      assertThat(
              c.await("anon", r -> r.path("ev").asText().equals("connect_error"))
                  .path("message")
                  .asText())
          .isEqualTo("Authentication error: a token is required (auth: { token })");
      assertThat(
              c.connected("u", List.of("websocket"), Map.of("token", SioServer.token("u1", "user")))
                  .path("userId")
                  .asText())
          .isEqualTo("u1");
    }
  }
}
