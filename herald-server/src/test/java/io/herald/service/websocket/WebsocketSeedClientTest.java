package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.Http;
import io.herald.testing.NodeScript;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's own socket.io-client test script and its curl example, unchanged but for the port. */
class WebsocketSeedClientTest {
  @Test
  void theSeedsManualTestScriptJoinsAndReceivesANotification() throws Exception {
    try (SioServer server = new SioServer(Map.of());
        NodeScript node = new NodeScript("websocket-seed-client.cjs", String.valueOf(server.port))) {
      String connected = node.readLine();
      assertThat(connected).startsWith("Connected: ");
      String joined = node.readLine();
      assertThat(joined).startsWith("Joined: {\"room\":\"global\"");
      // The seed's curl example: POST /api/broadcast/room to "global".
      var r = Http.post(server.port, "/api/broadcast/room",
          "{\"room\":\"global\",\"event\":\"notification\",\"data\":{\"message\":\"Hello, World!\"}}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(node.readLine()).startsWith("Notification: { message: 'Hello, World!' }");
    }
  }
}
