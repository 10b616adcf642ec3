package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testkit.Http;
import io.herald.testkit.RawWsClient;
import io.herald.testkit.WsFrame;
import io.herald.testkit.WsHandshake;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate, encode-once: a large event goes compressed (RSV1) to clients that negotiated
 * the extension, as the same bytes for all of them, and uncompressed to the others; small messages
 * are never compressed.
 */
class PushHubDeflateTest {
  @Test
  void largeEventsGoCompressedOnceToDeflateClientsAndPlainToOthers() throws Exception {
    try (TestServer server = new TestServer(PushHubConfig.DEFAULT);
        RawWsClient deflate1 = deflating(server.port);
        RawWsClient deflate2 = deflating(server.port);
        RawWsClient plain = new RawWsClient(server.port, "/ws")) {
      assertThat(deflate1.extensions()).startsWith("permessage-deflate");
      assertThat(plain.extensions()).isNull();
      WsFrame hello = deflate1.nextOfType("connection_established");
      assertThat(hello.compressed()).isFalse(); // small: never compressed
      deflate2.nextOfType("connection_established");
      plain.nextOfType("connection_established");
      String big =
          "report "
              .repeat(400); // over the 1 KiB threshold, under the test server's 4 KiB body limit
      assertThat(Http.post(server.port, "/api/v1/broadcast", Http.alert(big)).statusCode())
          .isEqualTo(202);
      WsFrame a = deflate1.nextOfType("system_alert"),
          b = deflate2.nextOfType("system_alert"),
          p = plain.nextOfType("system_alert");
      assertThat(a.compressed()).isTrue();
      assertThat(a.payload().length).isLessThan(p.payload().length / 10);
      assertThat(a.payload()).isEqualTo(b.payload()); // the same compressed bytes for everyone
      assertThat(p.compressed()).isFalse();
      assertThat(a.text()).isEqualTo(p.text()).contains(big);
      // Each event is compressed on its own: a per-connection compressor keeping its window would
      // shrink a repeat
      // of the same text to a few bytes by pointing back at the first.
      assertThat(Http.post(server.port, "/api/v1/broadcast", Http.alert(big)).statusCode())
          .isEqualTo(202);
      WsFrame again = deflate1.nextOfType("system_alert");
      assertThat(again.compressed()).isTrue();
      assertThat(again.payload().length).isGreaterThan(a.payload().length / 2);
      assertThat(again.text()).contains(big);
    }
  }

  @Test
  void compressedClientMessagesAreInflatedAndAnswered() throws Exception {
    try (TestServer server = new TestServer(PushHubConfig.DEFAULT);
        RawWsClient c = deflating(server.port)) {
      assertThat(c.extensions()).startsWith("permessage-deflate");
      c.nextOfType("connection_established");
      c.sendCompressed("{\"type\":\"ping\"}");
      assertThat(c.nextOfType("pong").text()).contains("\"timestamp\"");
      c.sendCompressed("{\"type\":\"nope\"}");
      assertThat(c.nextOfType("error").text()).contains("unknown");
    }
  }

  private static RawWsClient deflating(int port) throws Exception {
    return RawWsClient.offering(port, "/ws", WsHandshake.DEFLATE);
  }
}
