package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testkit.Http;
import io.herald.testkit.NodeScript;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed's own socket.io-client test script and its curl example, unchanged but for the port. */
class WebsocketSeedClientTest {
  @Test
  void theSeedsManualTestScriptJoinsAndReceivesANotification() throws Exception {
    try (SioServer server = new SioServer(Map.of());
        NodeScript node =
            new NodeScript("websocket-seed-client.cjs", String.valueOf(server.port))) {
      assertThat(lineStartingWith(node, "Connected: ")).isNotNull();
      assertThat(lineStartingWith(node, "Joined: ")).startsWith("Joined: {\"room\":\"global\"");
      // The seed's curl example, verbatim: answered 200 with success.
      var curl =
          Http.post(
              server.port,
              "/api/broadcast/room",
              "{\"room\": \"global\", \"event\": \"test.message\", \"data\": {\"message\": \"Hello, World!\"}}");
      assertThat(curl.statusCode()).isEqualTo(200);
      assertThat(curl.body()).startsWith("{\"success\":true,");
      // And a notification, the event the seed's script listens to.
      var r =
          Http.post(
              server.port,
              "/api/broadcast/room",
              "{\"room\":\"global\",\"event\":\"notification\",\"data\":{\"message\":\"Approved\"}}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(lineStartingWith(node, "Notification: "))
          .isEqualTo("Notification: { message: 'Approved' }");
    }
  }

  /**
   * The next output line with this prefix (Node may print warnings in between), null at the end of
   * output.
   */
  private static String lineStartingWith(NodeScript node, String prefix) throws IOException {
    for (String l; (l = node.readLine()) != null; ) if (l.startsWith(prefix)) return l;
    return null;
  }
}
