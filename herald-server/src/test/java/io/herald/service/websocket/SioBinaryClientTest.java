package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.hub.HubConfig;
import io.herald.service.siotest.SioTestService;
import io.herald.store.Stores;
import io.herald.testkit.Http;
import io.herald.testkit.Ports;
import io.herald.testkit.SioDriver;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Binary values with the npm socket.io-client, both ways: Buffers a client emits reach the server
 * (the protocol-test profile echoes them, in events and acks), and {@code {"$binary":..}} values in
 * an HTTP broadcast reach clients as binary, on both transports. The driver prints a received
 * binary value as {@code {"$bytes":"<base64>"}}.
 */
class SioBinaryClientTest {
  @ParameterizedTest
  @ValueSource(strings = {"websocket", "polling"})
  void buffersFromTheClientComeBackInEventsAndAcks(String transport) throws Exception {
    int port = Ports.free();
    HeraldServer server =
        new HeraldServer(
            new ServerConfig("127.0.0.1", port, 2, 65536, Duration.ofSeconds(5)),
            HubConfig.DEFAULT,
            Stores.local(),
            List.of(new SioTestService()));
    server.start().await();
    try (SioDriver c = new SioDriver(port)) {
      c.connectTo("m", "/custom", List.of(transport));
      assertThat(c.await("m", r -> r.path("ev").asText().equals("auth")).path("args").toString())
          .isEqualTo("[{}]");
      c.emit("m", "message", Map.of("$binary", "AQID"), false);
      assertThat(
              c.await("m", r -> r.path("ev").asText().equals("message-back"))
                  .path("args")
                  .toString())
          .isEqualTo("[{\"$bytes\":\"AQID\"}]");
      c.emit("m", "message-with-ack", Map.of("file", Map.of("$binary", "BAUG"), "n", 1), true);
      JsonNode ack = c.await("m", r -> r.path("ev").asText().equals("ack")).path("args").path(0);
      assertThat(ack.path("file").toString()).isEqualTo("{\"$bytes\":\"BAUG\"}");
      assertThat(ack.path("n").asInt()).isEqualTo(1);
    } finally {
      server.stop().await();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "polling"})
  void aBroadcastCarriesBinaryValuesToClients(String transport) throws Exception {
    try (SioServer server = new SioServer(Map.of());
        SioDriver c = new SioDriver(server.port)) {
      c.connected("a", List.of(transport), Map.of());
      var r =
          Http.post(
              server.port,
              "/api/broadcast/global",
              "{\"event\":\"file.ready\",\"data\":{\"name\":\"scan.png\",\"bytes\":{\"$binary\":\"iVBORw==\"}}}");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode got = c.await("a", e -> e.path("ev").asText().equals("file.ready")).path("args");
      assertThat(got.path(0).toString())
          .isEqualTo("{\"name\":\"scan.png\",\"bytes\":{\"$bytes\":\"iVBORw==\"}}");
      assertThat(got.path(1).asText())
          .as("the recovery offset still follows")
          .isEqualTo(r.body().replaceAll(".*\"offset\":\"(\\d+)\".*", "$1"));
      // A plain event after it still arrives as JSON.
      Http.post(server.port, "/api/broadcast/global", "{\"event\":\"after\",\"data\":{\"n\":2}}");
      assertThat(c.event("a", "after").path("n").asInt()).isEqualTo(2);
    }
  }

  @Test
  void aBroadcastWithBadBase64IsRefused() {
    try (SioServer server = new SioServer(Map.of())) {
      var r =
          Http.post(
              server.port,
              "/api/broadcast/global",
              "{\"event\":\"x\",\"data\":{\"$binary\":\"not base64!\"}}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("must be base64");
    }
  }
}
