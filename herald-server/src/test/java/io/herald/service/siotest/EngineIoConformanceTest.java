package io.herald.service.siotest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.outbox.OutboxConfig;
import io.herald.testkit.Http;
import io.herald.testkit.RawWsClient;
import io.herald.testkit.WsFrame;
import io.herald.transport.eio.EioConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Engine.IO v4 as its specification words it, on the raw echo endpoint of the protocol-test
 * profile, with plain HTTP requests and raw WebSocket frames: binary messages both ways, the
 * client's close while a GET is parked, an aborted GET, and the upgrade's hand-over.
 */
class EngineIoConformanceTest {
  private static final String RS = "\u001e";

  /**
   * The profile's endpoints with a heartbeat far longer than any test here: a session that ends,
   * ends for what the test did, not because a 300 + 200 ms heartbeat ran out meanwhile.
   */
  private static final EioConfig LONG_HEARTBEAT =
      new EioConfig(
          Duration.ofMinutes(5),
          Duration.ofMinutes(5),
          1_000_000,
          Duration.ofSeconds(10),
          OutboxConfig.DEFAULT);

  private static String handshake(SioTestServer s) {
    String body = Http.get(s.port, "/engine.io/?EIO=4&transport=polling").body();
    assertThat(body)
        .startsWith("0{\"sid\":\"")
        .contains(
            "\"pingInterval\":"
                + s.eio.pingInterval().toMillis()
                + ",\"pingTimeout\":"
                + s.eio.pingTimeout().toMillis()
                + ",\"maxPayload\":1000000");
    return body.substring(9, body.indexOf('"', 9));
  }

  private static String poll(String sid) {
    return "/engine.io/?EIO=4&transport=polling&sid=" + sid;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void textAndBinaryMessagesComeBackOnBothTransports() throws Exception {
    try (SioTestServer s = new SioTestServer(LONG_HEARTBEAT)) { // no ping between the echoes
      String sid = handshake(s);
      assertThat(Http.post(s.port, poll(sid), "4hello" + RS + "bAQIDBA==").body()).isEqualTo("ok");
      assertThat(Http.get(s.port, poll(sid)).body()).isEqualTo("4hello" + RS + "bAQIDBA==");
      try (RawWsClient ws = new RawWsClient(s.port, "/engine.io/?EIO=4&transport=websocket")) {
        assertThat(ws.next().text()).startsWith("0{");
        ws.send(true, 0x2, new byte[] {1, 2, 3, 4});
        WsFrame f = ws.next();
        assertThat(f.opcode()).as("a binary frame").isEqualTo(0x2);
        assertThat(f.payload()).containsExactly(1, 2, 3, 4);
        ws.send(true, 0x1, utf8("4hello"));
        assertThat(ws.next().text()).isEqualTo("4hello");
      }
    }
  }

  @Test
  void theClientsCloseAnswersItsParkedPollWithANoop() throws Exception {
    try (SioTestServer s =
        new SioTestServer(LONG_HEARTBEAT)) { // no ping may answer the parked poll first
      String sid = handshake(s);
      CompletableFuture<HttpResponse<String>> parked =
          CompletableFuture.supplyAsync(() -> Http.get(s.port, poll(sid)));
      await().atMost(Duration.ofSeconds(5)).until(() -> s.parkedPolls() == 1);
      assertThat(parked).as("the poll waits").isNotDone();
      assertThat(Http.post(s.port, poll(sid), "1").body()).isEqualTo("ok");
      assertThat(parked.get().body()).isEqualTo("6");
      assertThat(Http.get(s.port, poll(sid)).statusCode()).isEqualTo(400);

      // The close POST read before the GET it raced with: that GET still gets its noop, the next
      // one 400.
      String other = handshake(s);
      assertThat(Http.post(s.port, poll(other), "1").body()).isEqualTo("ok");
      HttpResponse<String> late = Http.get(s.port, poll(other));
      assertThat(late.statusCode()).isEqualTo(200);
      assertThat(late.body()).isEqualTo("6");
      assertThat(Http.get(s.port, poll(other)).statusCode()).isEqualTo(400);
    }
  }

  /**
   * A client that gives up on its GET (its connection closes while the GET is parked) has gone: the
   * session ends at once, and the next GET with its sid hears "Session ID unknown" (code 1). The
   * heartbeat is long, so nothing else ends the session within the test; the next GET is sent once,
   * after the server let the aborted one go, since a GET while the aborted one still counted as
   * parked would end the session too (as two GETs at once, code 3).
   */
  @Test
  void anAbortedPollEndsTheSession() throws Exception {
    try (SioTestServer s = new SioTestServer(LONG_HEARTBEAT)) {
      String sid = handshake(s);
      try (Socket raw = new Socket("127.0.0.1", s.port)) {
        OutputStream out = raw.getOutputStream();
        out.write(utf8("GET " + poll(sid) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        out.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> s.parkedPolls() == 1);
      } // the client gives up: its connection closes
      await()
          .atMost(Duration.ofSeconds(5))
          .alias("the server lets the aborted poll go")
          .until(() -> s.parkedPolls() == 0);
      HttpResponse<String> next =
          CompletableFuture.supplyAsync(() -> Http.get(s.port, poll(sid)))
              .completeOnTimeout(null, 5, TimeUnit.SECONDS)
              .get();
      assertThat(next)
          .as("the next GET is answered, not parked in a session that lives on")
          .isNotNull();
      assertThat(next.statusCode()).isEqualTo(400);
      assertThat(next.body())
          .as("the session is gone")
          .isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
    }
  }

  @Test
  void afterUpgradeTheOldSidIsRefusedAtOnceAndASecondWebSocketIsClosed() throws Exception {
    try (SioTestServer s = new SioTestServer()) {
      for (int i = 0;
          i < 10;
          i++) { // no pause between "5" and the GET: the refusal must not wait for the hand-over
        String sid = handshake(s);
        try (RawWsClient ws =
            new RawWsClient(s.port, "/engine.io/?EIO=4&transport=websocket&sid=" + sid)) {
          ws.send(true, 0x1, utf8("2probe"));
          assertThat(ws.next().text()).isEqualTo("3probe");
          ws.send(true, 0x1, utf8("5"));
          HttpResponse<String> r = Http.get(s.port, poll(sid));
          assertThat(r.statusCode())
              .as("GET right after '5', round " + i + ": " + r.body())
              .isEqualTo(400);
          try (RawWsClient second =
              new RawWsClient(s.port, "/engine.io/?EIO=4&transport=websocket&sid=" + sid)) {
            assertThat(second.awaitCloseCode()).as("accepted, then closed").isEqualTo(1008);
          }
          ws.send(true, 0x1, utf8("3")); // a sign of life: the heartbeat here is 300 + 200 ms
          ws.send(true, 0x1, utf8("4hello"));
          WsFrame f = ws.next();
          while (f.text().equals("2")) f = ws.next();
          assertThat(f.text()).as("the upgraded session carries on").isEqualTo("4hello");
        }
      }
    }
  }

  @Test
  void aBinaryTextPacketOnAWebSocketIsAProtocolError() throws IOException {
    try (SioTestServer s = new SioTestServer();
        RawWsClient ws = new RawWsClient(s.port, "/engine.io/?EIO=4&transport=websocket")) {
      ws.next();
      ws.send(
          true,
          0x1,
          utf8("bAQID")); // "b" + base64 is polling's spelling; a WebSocket sends a binary frame
      assertThat(ws.awaitCloseCode()).isEqualTo(1002);
    }
  }
}
