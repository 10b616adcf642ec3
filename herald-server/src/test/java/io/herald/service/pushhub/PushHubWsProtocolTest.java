package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testkit.Http;
import io.herald.testkit.RawWsClient;
import io.herald.testkit.WsFrame;
import io.herald.testkit.WsHandshake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket protocol as Herald's own socket layer speaks it, frame by frame from a raw client:
 * upgrade errors, fragmented messages, the size limit across fragments, UTF-8 checking, pings from
 * the client and the close handshake in both directions.
 */
class PushHubWsProtocolTest {
  private final TestServer server = new TestServer(PushHubConfig.DEFAULT);

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void requestsThatAreNotAnUpgradeGetJsonErrors() throws Exception {
    var plain = Http.get(server.port, "/ws");
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(plain.body()).contains("\"error\"").contains("not a WebSocket upgrade request");
    var post = Http.post(server.port, "/ws", "{}");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.body()).contains("\"error\"");
    Answer version = upgradeWith("Version: 13", "Version: 99");
    assertThat(version.head()).startsWith("HTTP/1.1 426");
    assertThat(version.head().toLowerCase()).contains("sec-websocket-version: 13");
    assertThat(version.body()).contains("\"error\"").contains("13 is supported");
    try (Socket s =
        new Socket(
            "127.0.0.1",
            server
                .port)) { // an upgrade to something else (the JDK client's h2c) is not a WebSocket
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                      + "HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(WsHandshake.readHead(s.getInputStream())).startsWith("HTTP/1.1 400");
    }
    try (Socket s =
        new Socket("127.0.0.1", server.port)) { // HTTP/1.0 cannot upgrade; the server stays up
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              new String(WsHandshake.request("/ws"), StandardCharsets.US_ASCII)
                  .replace("HTTP/1.1", "HTTP/1.0")
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(WsHandshake.readHead(s.getInputStream())).startsWith("HTTP/1.0 400");
    }
    try (RawWsClient ok = new RawWsClient(server.port, "/ws")) {
      assertThat(ok.nextOfType("connection_established").text())
          .contains("\"status\":\"connected\"");
    }
  }

  @Test
  void theAnswerCarriesTheRfcAcceptKeyAndABadKeyGetsAJsonError() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(WsHandshake.request("/ws"));
      String head = WsHandshake.readHead(s.getInputStream());
      assertThat(head).startsWith("HTTP/1.1 101");
      // RFC 6455 section 1.3's own example: this key must be answered with this value.
      assertThat(head.toLowerCase())
          .contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo=")
          .contains("upgrade: websocket")
          .contains("connection: upgrade");
    }
    for (String key : List.of("", "not-base64-at-all!!!!!!!", "c2hvcnQ=")) {
      Answer bad = upgradeWith("dGhlIHNhbXBsZSBub25jZQ==", key);
      assertThat(bad.head()).as("key %s", key).startsWith("HTTP/1.1 400");
      assertThat(bad.body()).as("key %s", key).contains("Sec-WebSocket-Key");
    }
    Answer none = upgradeWith("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "");
    assertThat(none.head()).startsWith("HTTP/1.1 400");
    assertThat(none.body()).contains("\"error\"").contains("Sec-WebSocket-Key");
  }

  /** A refused upgrade's status line and headers, and its JSON body. */
  private record Answer(String head, String body) {}

  /** Sends the test kit's upgrade request with {@code from} replaced by {@code to}. */
  private Answer upgradeWith(String from, String to) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              new String(WsHandshake.request("/ws"), StandardCharsets.US_ASCII)
                  .replace(from, to)
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String head = WsHandshake.readHead(in);
      String[] length = head.toLowerCase().split("content-length: ");
      int n = length.length < 2 ? 0 : Integer.parseInt(length[1].split("\r\n")[0].trim());
      return new Answer(head, new String(in.readNBytes(n), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aFrameSentRightBehindTheRequestIsRead() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port)) {
      s.setSoTimeout(10_000);
      // One write, as an eager client may send: the upgrade request, a ping frame and a message
      // (masked with a zero mask).
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.write(WsHandshake.request("/ws"));
      both.write(new byte[] {(byte) 0x89, (byte) 0x84, 0, 0, 0, 0, 'a', 'b', 'c', 'd'});
      byte[] ping = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
      both.write(new byte[] {(byte) 0x81, (byte) (0x80 | ping.length), 0, 0, 0, 0});
      both.write(ping);
      s.getOutputStream().write(both.toByteArray());
      InputStream in = s.getInputStream();
      assertThat(WsHandshake.readHead(in)).startsWith("HTTP/1.1 101");
      int[] opcodes = new int[3];
      String[] payloads = new String[3];
      for (int i = 0; i < 3; i++) {
        opcodes[i] = in.read() & 0x0f;
        int len = in.read();
        if (len == 126) len = (in.read() << 8) | in.read();
        payloads[i] = new String(in.readNBytes(len), StandardCharsets.UTF_8);
      }
      // The 101 first, then the welcome, then the answers in the order the frames came.
      assertThat(opcodes).containsExactly(WsFrame.TEXT, WsFrame.PONG, WsFrame.TEXT);
      assertThat(payloads[0]).contains("connection_established");
      assertThat(payloads[1]).isEqualTo("abcd");
      assertThat(payloads[2]).contains("\"type\":\"pong\"");
    }
  }

  @Test
  void aFragmentedMessageIsReassembledAndAnswered() throws Exception {
    try (RawWsClient c = new RawWsClient(server.port, "/ws")) {
      c.send(false, 0x1, "{\"type\":".getBytes(StandardCharsets.UTF_8));
      c.send(false, 0x0, "\"pi".getBytes(StandardCharsets.UTF_8));
      c.send(true, 0x0, "ng\"}".getBytes(StandardCharsets.UTF_8));
      assertThat(c.nextOfType("pong").text()).contains("\"timestamp\"");
    }
  }

  @Test
  void fragmentsAddingUpToMoreThanTheLimitCloseWith1009() throws Exception {
    try (RawWsClient c = new RawWsClient(server.port, "/ws")) {
      byte[] part =
          "x".repeat(300).getBytes(StandardCharsets.UTF_8); // each under 512, together over it
      c.send(false, 0x1, part);
      c.send(true, 0x0, part);
      assertThat(c.awaitCloseCode()).isEqualTo(1009);
    }
  }

  @Test
  void invalidUtf8ClosesWith1007() throws Exception {
    try (RawWsClient c = new RawWsClient(server.port, "/ws")) {
      c.send(true, 0x1, new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'});
      assertThat(c.awaitCloseCode()).isEqualTo(1007);
    }
  }

  @Test
  void aClientPingGetsAPongWithItsPayload() throws Exception {
    try (RawWsClient c = new RawWsClient(server.port, "/ws")) {
      c.send(true, 0x9, "are-you-there".getBytes(StandardCharsets.UTF_8));
      WsFrame pong = c.nextControl();
      assertThat(pong.opcode()).isEqualTo(0xA);
      assertThat(pong.text()).isEqualTo("are-you-there");
    }
  }

  @Test
  void aClientCloseIsEchoedWithItsCodeAndTheServerDropsTheConnection() throws Exception {
    try (RawWsClient c = new RawWsClient(server.port, "/ws")) {
      c.send(true, 0x8, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'}); // 1000 "bye"
      WsFrame echo = c.nextControl();
      assertThat(echo.opcode()).isEqualTo(0x8);
      assertThat(echo.closeCode()).isEqualTo(1000);
      assertThat(c.awaitEndOfStream()).isTrue();
    }
    // The server forgets the connection as the socket closes.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(Http.get(server.port, "/metrics").body())
                    .contains("herald_connections 0.0"));
  }
}
