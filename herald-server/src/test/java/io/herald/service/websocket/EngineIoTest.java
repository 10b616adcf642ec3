package io.herald.service.websocket;

import static io.herald.service.websocket.EioRequests.RS;
import static io.herald.service.websocket.EioRequests.assertError;
import static io.herald.service.websocket.EioRequests.handshake;
import static io.herald.service.websocket.EioRequests.parkedPolls;
import static io.herald.service.websocket.EioRequests.poll;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testkit.Http;
import io.herald.testkit.RawWsClient;
import io.herald.testkit.WsFrame;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Engine.IO's rules over plain HTTP and raw WebSocket frames: handshake and polling, upgrade and
 * probes, heartbeat, limits, slow clients, shutdown.
 */
class EngineIoTest {
  /**
   * Until the server holds one poll open: the next request then meets it parked, not on its way.
   */
  private static void awaitParked(int port) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> parkedPolls(port) == 1);
  }

  @Test
  void handshakeErrorsAreEngineIoJson() {
    try (SioServer s = new SioServer(Map.of())) {
      assertError(
          Http.get(s.port, "/socket.io/?EIO=3&transport=polling"),
          400,
          5,
          "Unsupported protocol version");
      assertError(
          Http.get(s.port, "/socket.io/?EIO=4&transport=carrier-pigeon"),
          400,
          0,
          "Transport unknown");
      assertError(
          Http.get(s.port, "/socket.io/?EIO=4&transport=polling&sid=nope"),
          400,
          1,
          "Session ID unknown");
      assertError(
          Http.post(s.port, "/socket.io/?EIO=4&transport=polling", "40"),
          400,
          2,
          "Bad handshake method");
      assertError(
          Http.get(s.port, "/socket.io/?EIO=4&transport=websocket&sid=abc"),
          400,
          1,
          "Session ID unknown");
      assertError(
          Http.get(s.port, "/socket.io/?EIO=4&transport=polling", "Origin", "https://evil.example"),
          403,
          4,
          "Forbidden");
      HttpResponse<String> ok =
          Http.get(
              s.port, "/socket.io/?EIO=4&transport=polling", "Origin", "http://localhost:3000");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).as("Engine.IO's default maxPayload").contains("\"maxPayload\":1000000");
      assertThat(ok.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("http://localhost:3000");
    }
  }

  @Test
  void aPollingSessionHandshakesConnectsAndEndsOnABadPacket() {
    try (SioServer s = new SioServer(Map.of())) {
      String sid = handshake(s.port);
      assertThat(Http.post(s.port, poll(sid), "40").body()).isEqualTo("ok");
      String[] packets = Http.get(s.port, poll(sid)).body().split(RS);
      assertThat(packets[0]).startsWith("40{\"sid\":\"").contains("\"pid\":\"");
      assertThat(packets[1]).startsWith("42[\"connected\",{\"socketId\":");
      assertThat(Http.post(s.port, poll(sid), "42[\"no_such_event\"]").body()).isEqualTo("ok");
      assertThat(Http.get(s.port, poll(sid)).body())
          .isEqualTo("42[\"error\",{\"message\":\"Unknown event: no_such_event\"}]");
      // A Socket.IO packet that cannot be decoded closes the connection (the specification): the
      // close packet, then gone.
      assertThat(Http.post(s.port, poll(sid), "42[\"get_rooms\"").body()).isEqualTo("ok");
      assertThat(Http.get(s.port, poll(sid)).body()).isEqualTo("1");
      assertError(Http.get(s.port, poll(sid)), 400, 1, "Session ID unknown");
      // An Engine.IO packet that cannot be decoded: 400 at once, and the session is gone.
      String other = handshake(s.port);
      assertError(Http.post(s.port, poll(other), "9"), 400, 3, "Bad request");
      assertError(Http.get(s.port, poll(other)), 400, 1, "Session ID unknown");
    }
  }

  @Test
  void aSecondPollAtOnceEndsTheSession() throws Exception {
    try (SioServer s = new SioServer(Map.of())) {
      String sid = handshake(s.port);
      String[] first = {null};
      Thread parked = Thread.ofVirtual().start(() -> first[0] = Http.get(s.port, poll(sid)).body());
      awaitParked(s.port);
      assertThat(parked.isAlive()).as("the first poll is waiting").isTrue();
      assertError(Http.get(s.port, poll(sid)), 400, 3, "Bad request");
      parked.join(5_000);
      assertThat(first[0]).as("the first poll gets the close packet").isEqualTo("1");
      assertError(Http.get(s.port, poll(sid)), 400, 1, "Session ID unknown");
    }
  }

  @Test
  void aPollingSessionHasOneUpgradeProbeAtATime() throws Exception {
    try (SioServer s = new SioServer(Map.of())) {
      String sid = handshake(s.port), path = "/socket.io/?EIO=4&transport=websocket&sid=" + sid;
      try (RawWsClient first = new RawWsClient(s.port, path)) {
        first.send(true, 0x1, "2probe".getBytes(StandardCharsets.UTF_8));
        assertThat(first.next().text()).isEqualTo("3probe");
        try (RawWsClient second = new RawWsClient(s.port, path)) {
          assertThat(second.awaitCloseCode()).isEqualTo(1008);
        }
      }
      // The first probe closed: its slot is free, and the next probe works.
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                try (RawWsClient third = new RawWsClient(s.port, path)) {
                  third.send(true, 0x1, "2probe".getBytes(StandardCharsets.UTF_8));
                  assertThat(third.next().text()).isEqualTo("3probe");
                }
              });
    }
  }

  @Test
  void aSilentClientIsClosedAfterPingTimeout() {
    try (SioServer s =
        new SioServer(Map.of("HEARTBEAT_INTERVAL", "300", "CONNECTION_TIMEOUT", "1000"))) {
      String sid = handshake(s.port);
      long t0 = System.nanoTime();
      assertThat(Http.get(s.port, poll(sid)).body()).isEqualTo("2");
      assertThat(Http.get(s.port, poll(sid)).body())
          .as("the parked poll gets the close packet")
          .isEqualTo("1");
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1_250);
      assertError(Http.get(s.port, poll(sid)), 400, 1, "Session ID unknown");

      String live = handshake(s.port); // one that answers each ping stays
      for (int i = 0; i < 4; i++) {
        assertThat(Http.get(s.port, poll(live)).body()).isEqualTo("2");
        assertThat(Http.post(s.port, poll(live), "3").body()).isEqualTo("ok");
      }
      assertThat(Http.get(s.port, poll(live)).body())
          .as("the last pong kept it alive")
          .isEqualTo("2");
    }
  }

  @Test
  void aClientThatStopsPollingIsDroppedWhenItsQueueIsFull() {
    try (SioServer s = new SioServer(Map.of("HERALD_OUTBOX_MAX_MESSAGES", "5"))) {
      String slow = handshake(s.port);
      Http.post(s.port, poll(slow), "40");
      for (int i = 0; i < 10; i++)
        Http.post(s.port, "/api/broadcast/global", "{\"event\":\"tick\",\"data\":" + i + "}");
      assertThat(Http.get(s.port, poll(slow)).body())
          .as("the close packet, queue discarded")
          .isEqualTo("1");
      assertError(Http.get(s.port, poll(slow)), 400, 1, "Session ID unknown");
      assertThat(Http.get(s.port, "/metrics").body())
          .containsPattern("(?m)^herald_disconnects_total\\{reason=\"slow_consumer\"} 1(\\.0)?$");
    }
  }

  @Test
  void aPollingSessionUpgradesToWebSocketAndTheQueuedEventsMoveWithIt() throws Exception {
    try (SioServer s = new SioServer(Map.of())) {
      String sid = handshake(s.port);
      Http.post(s.port, poll(sid), "40");
      assertThat(Http.get(s.port, poll(sid)).body()).contains("42[\"connected\"");
      String[] parkedAnswer = {null};
      Thread parked =
          Thread.ofVirtual().start(() -> parkedAnswer[0] = Http.get(s.port, poll(sid)).body());
      awaitParked(s.port); // nothing is queued
      assertThat(parked.isAlive()).as("the poll is waiting").isTrue();
      try (RawWsClient ws =
          new RawWsClient(s.port, "/socket.io/?EIO=4&transport=websocket&sid=" + sid)) {
        ws.send(true, 0x1, "2probe".getBytes(StandardCharsets.UTF_8));
        assertThat(ws.next().text()).isEqualTo("3probe");
        parked.join();
        assertThat(parkedAnswer[0])
            .as("the probe releases the parked poll with a noop")
            .isEqualTo("6");
        assertThat(Http.get(s.port, poll(sid)).body())
            .as("and answers later polls at once until '5'")
            .isEqualTo("6");
        Http.post(
            s.port,
            "/api/broadcast/global",
            "{\"event\":\"n\",\"data\":2}"); // queued on polling, before "5"
        ws.send(true, 0x1, "5".getBytes(StandardCharsets.UTF_8));
        ws.send(
            true, 0x1, "42[\"get_rooms\"]".getBytes(StandardCharsets.UTF_8)); // right behind "5"
        Http.post(s.port, "/api/broadcast/global", "{\"event\":\"n\",\"data\":3}");
        ws.send(
            true,
            0x1,
            "42[\"get_rooms\"]"
                .getBytes(StandardCharsets.UTF_8)); // a sentinel: read up to its answer
        List<String> got = new ArrayList<>();
        while (got.stream().filter(t -> t.startsWith("42[\"rooms\"")).count() < 2) {
          String t = ws.next().text();
          if (!t.equals("2")) got.add(t);
        }
        assertThat(got.stream().filter(t -> t.startsWith("42[\"n\"")).toList())
            .as("each event once, in order")
            .containsExactly("42[\"n\",2,\"1\"]", "42[\"n\",3,\"2\"]");
        assertThat(got).contains("42[\"rooms\",{\"rooms\":[\"global\"]}]");
        assertError(
            Http.get(s.port, poll(sid)),
            400,
            3,
            "Bad request"); // the session is on its WebSocket now
        assertThat(Http.get(s.port, "/api/stats").body()).contains("\"totalConnections\":1");
      }
    }
  }

  @Test
  void onWebSocketASilentClientGets4001AndAnOversizedMessage1009() throws Exception {
    try (SioServer s =
        new SioServer(Map.of("HEARTBEAT_INTERVAL", "200", "CONNECTION_TIMEOUT", "300"))) {
      try (RawWsClient ws = new RawWsClient(s.port, "/socket.io/?EIO=4&transport=websocket")) {
        assertThat(ws.next().text()).startsWith("0{");
        assertThat(ws.awaitCloseCode()).as("no answer to the pings").isEqualTo(4001);
      }
    }
    try (SioServer s =
            new SioServer(
                Map.of(
                    "HERALD_SIO_MAX_PAYLOAD",
                    "64KiB")); // default heartbeat: the 1009 must not race a 4001
        RawWsClient ws = new RawWsClient(s.port, "/socket.io/?EIO=4&transport=websocket")) {
      ws.next();
      // Two fragments of 40,000 bytes: a message over the 64 KiB limit. (One frame that large is
      // refused by the frame
      // decoder, which closes at once; the kernel then resets the connection under a client still
      // writing.)
      ws.send(false, 0x1, ("42[\"x\",\"" + "a".repeat(39_992)).getBytes(StandardCharsets.UTF_8));
      ws.send(true, 0x0, ("a".repeat(39_998) + "\"]").getBytes(StandardCharsets.UTF_8));
      assertThat(ws.awaitCloseCode()).isEqualTo(1009);
    }
  }

  @Test
  void aPollingBodyOverMaxPayloadIs413AndEndsTheSession() {
    try (SioServer s = new SioServer(Map.of("HERALD_SIO_MAX_PAYLOAD", "64KiB"))) {
      String sid = handshake(s.port);
      var r = Http.post(s.port, poll(sid), "42[\"x\",\"" + "a".repeat(70_000) + "\"]");
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).contains("maxPayload");
      assertError(Http.get(s.port, poll(sid)), 400, 1, "Session ID unknown");
    }
  }

  @Test
  void aBinaryEventOnPollingReachesTheServiceWithItsAttachment() {
    try (SioServer s = new SioServer(Map.of())) {
      String sid = handshake(s.port);
      Http.post(s.port, poll(sid), "40");
      Http.get(s.port, poll(sid));
      // Decoded whole (packet and base64 attachment): the service answers it as the event it is,
      // one it does not serve.
      assertThat(
              Http.post(
                      s.port,
                      poll(sid),
                      "451-[\"upload\",{\"_placeholder\":true,\"num\":0}]" + RS + "bAQID")
                  .body())
          .isEqualTo("ok");
      assertThat(Http.get(s.port, poll(sid)).body())
          .isEqualTo("42[\"error\",{\"message\":\"Unknown event: upload\"}]");
      Http.post(s.port, poll(sid), "42[\"get_rooms\"]");
      assertThat(Http.get(s.port, poll(sid)).body()).startsWith("42[\"rooms\"");
      // An attachment nobody announced breaks the protocol: the connection is closed.
      assertThat(Http.post(s.port, poll(sid), "bAQID").body()).isEqualTo("ok");
      assertThat(Http.get(s.port, poll(sid)).body()).isEqualTo("1");
    }
  }

  @Test
  void shutdownClosesWebSocketsWith1001AndHandsParkedPollsTheClosePacket() throws Exception {
    SioServer s = new SioServer(Map.of());
    try (RawWsClient ws = new RawWsClient(s.port, "/socket.io/?EIO=4&transport=websocket")) {
      ws.next();
      String sid = handshake(s.port);
      String[] parkedAnswer = {null};
      Thread parked =
          Thread.ofVirtual().start(() -> parkedAnswer[0] = Http.get(s.port, poll(sid)).body());
      awaitParked(s.port);
      assertThat(parked.isAlive()).isTrue();
      s.close();
      assertThat(ws.awaitCloseCode()).isEqualTo(1001);
      parked.join(10_000);
      assertThat(parkedAnswer[0]).isEqualTo("1");
    }
  }

  @Test
  void anUpgradeIsNotRefusedBecauseOtherRoomsWereBusy() throws Exception {
    try (SioServer s =
        new SioServer(
            Map.of("HERALD_OUTBOX_MAX_MESSAGES", "20"))) { // at most 10 missed events replayed
      String sid = handshake(s.port);
      Http.post(s.port, poll(sid), "40");
      assertThat(Http.get(s.port, poll(sid)).body()).contains("42[\"connected\"");
      for (int i = 0; i < 50; i++)
        Http.post(
            s.port,
            "/api/broadcast/room",
            "{\"room\":\"survey:elsewhere\",\"event\":\"x\",\"data\":" + i + "}");
      try (RawWsClient ws =
          new RawWsClient(s.port, "/socket.io/?EIO=4&transport=websocket&sid=" + sid)) {
        ws.send(true, 0x1, "2probe".getBytes(StandardCharsets.UTF_8));
        assertThat(ws.next().text()).isEqualTo("3probe");
        ws.send(true, 0x1, "5".getBytes(StandardCharsets.UTF_8));
        ws.send(true, 0x1, "42[\"get_rooms\"]".getBytes(StandardCharsets.UTF_8));
        WsFrame f = ws.next();
        while (f.opcode() == 0x1 && f.text().equals("2")) f = ws.next();
        assertThat(f.opcode())
            .as("not closed (4004): none of the 50 events was for this socket")
            .isEqualTo(0x1);
        assertThat(f.text()).startsWith("42[\"rooms\"");
      }
    }
  }

  @Test
  void onWebSocketABadPacketAndAnUnannouncedBinaryFrameClose1002() throws Exception {
    try (SioServer s = new SioServer(Map.of())) {
      try (RawWsClient ws = new RawWsClient(s.port, "/socket.io/?EIO=4&transport=websocket")) {
        assertThat(ws.next().text()).startsWith("0{\"sid\":");
        ws.send(true, 0x1, "40".getBytes(StandardCharsets.UTF_8));
        assertThat(ws.next().text()).startsWith("40{\"sid\":");
        assertThat(ws.next().text()).startsWith("42[\"connected\",");
        ws.send(true, 0x1, "9".getBytes(StandardCharsets.UTF_8));
        assertThat(ws.awaitCloseCode()).isEqualTo(1002);
      }
      try (RawWsClient ws = new RawWsClient(s.port, "/socket.io/?EIO=4&transport=websocket")) {
        ws.next();
        ws.send(true, 0x2, new byte[] {1, 2, 3});
        assertThat(ws.awaitCloseCode()).isEqualTo(1002);
      }
    }
  }
}
