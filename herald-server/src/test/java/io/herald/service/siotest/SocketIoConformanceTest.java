package io.herald.service.siotest;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testkit.RawWsClient;
import io.herald.testkit.WsFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Socket.IO v5 as its specification words it, with raw WebSocket frames against the protocol-test
 * profile: namespaces and their CONNECT payloads, DISCONNECT that keeps the connection, malformed
 * packets that close it, and binary events and acks with their attachments.
 */
class SocketIoConformanceTest {
  private static final String PATH = "/socket.io/?EIO=4&transport=websocket";

  /** The next text message that is not a ping. */
  private static String next(RawWsClient ws) throws IOException {
    while (true) {
      WsFrame f = ws.next();
      if (f.opcode() != 0x1 || !f.text().equals("2")) return f.text();
    }
  }

  private static void send(RawWsClient ws, String text) throws IOException {
    ws.send(true, 0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Engine.IO open, then CONNECT to the main namespace; returns after the CONNECT answer and the
   * auth event.
   */
  private static RawWsClient connected(int port) throws IOException {
    RawWsClient ws = new RawWsClient(port, PATH);
    assertThat(ws.next().text()).startsWith("0{");
    send(ws, "40");
    assertThat(next(ws)).startsWith("40{\"sid\":");
    assertThat(next(ws)).isEqualTo("42[\"auth\",{}]");
    return ws;
  }

  @Test
  void namespacesAnswerWithTheirSidAndEchoTheConnectPayload() throws Exception {
    try (SioTestServer s = new SioTestServer();
        RawWsClient ws = new RawWsClient(s.port, PATH)) {
      ws.next();
      send(ws, "40{\"token\":\"123\"}");
      String answer = next(ws);
      assertThat(answer)
          .matches("40\\{\"sid\":\"[^\"]+\"}"); // the sid alone: no pid without recovery
      assertThat(next(ws)).isEqualTo("42[\"auth\",{\"token\":\"123\"}]");
      send(ws, "40/custom,{\"token\":\"abc\"}");
      assertThat(next(ws)).matches("40/custom,\\{\"sid\":\"[^\"]+\"}");
      assertThat(next(ws)).isEqualTo("42/custom,[\"auth\",{\"token\":\"abc\"}]");
      send(ws, "40/random");
      assertThat(next(ws)).isEqualTo("44/random,{\"message\":\"Invalid namespace\"}");
    }
  }

  @Test
  void disconnectLeavesTheNamespaceAndKeepsTheConnection() throws Exception {
    try (SioTestServer s = new SioTestServer();
        RawWsClient ws = connected(s.port)) {
      send(ws, "40/custom");
      assertThat(next(ws)).startsWith("40/custom,{\"sid\":");
      assertThat(next(ws)).isEqualTo("42/custom,[\"auth\",{}]");
      send(ws, "41/custom");
      send(ws, "42[\"message\",\"to main\"]");
      assertThat(next(ws)).isEqualTo("42[\"message-back\",\"to main\"]");
      send(ws, "41");
      assertThat(ws.next().text())
          .as("the next thing is a ping: the Engine.IO session stays")
          .isEqualTo("2");
      send(ws, "3");
      send(ws, "40"); // and the client may join again
      assertThat(next(ws)).startsWith("40{\"sid\":");
    }
  }

  @Test
  void malformedPacketsAndPacketsOutOfStateCloseTheConnection() throws Exception {
    try (SioTestServer s = new SioTestServer()) {
      for (String bad :
          new String[] {
            "4abc",
            "42{}",
            "42abc[\"message-with-ack\",1,\"2\",{\"3\":[false]}]",
            "40",
            "41/custom",
            "42/custom,[\"message\"]",
            "43[1]"
          }) {
        try (RawWsClient ws = connected(s.port)) {
          send(ws, bad);
          assertThat(ws.awaitCloseCode()).as(bad).isEqualTo(1002);
        }
      }
      try (RawWsClient ws =
          new RawWsClient(s.port, PATH)) { // before any CONNECT, only a CONNECT is allowed
        ws.next();
        send(ws, "42[\"message\",1]");
        assertThat(ws.awaitCloseCode()).isEqualTo(1002);
      }
      try (RawWsClient ws =
          new RawWsClient(s.port, PATH)) { // and one that never connects is closed after 1 s
        ws.next();
        WsFrame f = ws.next();
        for (; f.opcode() == 0x1; f = ws.next()) send(ws, "3"); // alive: each ping answered
        assertThat(f.closeCode()).isEqualTo(4002);
      }
    }
  }

  @Test
  void eventsAndAcksEchoTheirArgumentsBinaryAttachmentsIncluded() throws Exception {
    try (SioTestServer s = new SioTestServer();
        RawWsClient ws = connected(s.port)) {
      send(ws, "42[\"message\",1,\"2\",{\"3\":[true]}]");
      assertThat(next(ws)).isEqualTo("42[\"message-back\",1,\"2\",{\"3\":[true]}]");
      send(ws, "42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]");
      assertThat(next(ws)).isEqualTo("43456[1,\"2\",{\"3\":[false]}]");

      send(
          ws,
          "452-[\"message\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
      ws.send(true, 0x2, new byte[] {1, 2, 3});
      ws.send(true, 0x2, new byte[] {4, 5, 6});
      assertThat(next(ws))
          .isEqualTo(
              "452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
      assertThat(ws.next().payload()).containsExactly(1, 2, 3);
      assertThat(ws.next().payload()).containsExactly(4, 5, 6);

      send(
          ws,
          "452-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
      ws.send(true, 0x2, new byte[] {7});
      ws.send(true, 0x2, new byte[] {8});
      assertThat(next(ws))
          .isEqualTo(
              "462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
      assertThat(ws.next().payload()).containsExactly(7);
      assertThat(ws.next().payload()).containsExactly(8);

      // A text packet where an attachment was announced breaks the sequence.
      send(ws, "451-[\"message\",{\"_placeholder\":true,\"num\":0}]");
      send(ws, "42[\"message\",1]");
      assertThat(ws.awaitCloseCode()).isEqualTo(1002);
    }
  }
}
