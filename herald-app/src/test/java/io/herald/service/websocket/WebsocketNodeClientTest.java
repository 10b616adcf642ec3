package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.history.HistoryConfig;
import io.herald.core.hub.HubConfig;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.Ports;
import io.herald.testkit.SioDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seed 003's contract through the npm socket.io-client, on both Engine.IO transports. */
class WebsocketNodeClientTest {
  private static final String ISO = "\\d{4}-\\d\\d-\\d\\dT.*Z";

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "polling"})
  void anAnonymousClientIsInTheGlobalRoomOnly(String transport) throws Exception {
    try (SioServer server = new SioServer(Map.of());
        SioDriver c = new SioDriver(server.port)) {
      JsonNode hello = c.connected("a", List.of(transport), Map.of());
      assertThat(hello.path("isAnonymous").asBoolean()).isTrue();
      assertThat(hello.path("userId").asText()).isEqualTo("anonymous");
      assertThat(hello.path("rooms").toString()).isEqualTo("[\"global\"]");
      assertThat(hello.path("socketId").asText()).isNotBlank();
      assertThat(hello.path("serverTime").asText()).matches(ISO);
      assertThat(
              c.await("a", r -> r.path("ev").asText().equals("connect")).path("transport").asText())
          .isEqualTo(transport);

      c.emit("a", "join_room", Map.of("room", "survey:1"), false);
      assertThat(c.event("a", "error").path("message").asText())
          .isEqualTo("Anonymous users can only join the global room");
      c.emit("a", "ping", null, true);
      assertThat(c.event("a", "pong").path("timestamp").asText()).matches(ISO);
      assertThat(c.event("a", "ack").path("timestamp").asText()).matches(ISO);
      c.emit("a", "get_rooms", null, false);
      assertThat(c.event("a", "rooms").path("rooms").toString()).isEqualTo("[\"global\"]");

      assertThat(
              Http.post(
                      server.port,
                      "/api/broadcast/room",
                      "{\"room\":\"survey:1\",\"event\":\"custom.event\",\"data\":{\"n\":1}}")
                  .statusCode())
          .isEqualTo(200);
      var global =
          Http.post(
              server.port,
              "/api/broadcast/global",
              "{\"event\":\"test.message\",\"data\":{\"message\":\"Hello, World!\"}}");
      assertThat(global.statusCode()).isEqualTo(200);
      assertThat(global.body()).contains("\"success\":true");
      assertThat(c.event("a", "test.message").path("message").asText()).isEqualTo("Hello, World!");
      assertThat(c.received("a", "custom.event", 300)).as("a room the client is not in").isEmpty();
    }
  }

  @Test
  void anAuthenticatedClientJoinsRoomsAndGetsEachEventOnce() throws Exception {
    try (SioServer server = new SioServer(Map.of());
        SioDriver c = new SioDriver(server.port)) {
      JsonNode hello =
          c.connected(
              "u", List.of("websocket"), Map.of("token", SioServer.token("user123", "user")));
      assertThat(hello.path("userId").asText()).isEqualTo("user123");
      assertThat(hello.path("isAnonymous").asBoolean()).isFalse();
      assertThat(hello.path("rooms").toString()).isEqualTo("[\"global\",\"user:user123\"]");

      c.emit("u", "join_room", Map.of("room", "survey:s1"), false);
      assertThat(c.event("u", "room_joined").path("room").asText()).isEqualTo("survey:s1");
      c.emit("u", "join_room", Map.of("room", "project:p1"), true);
      assertThat(c.event("u", "ack").path("room").asText()).isEqualTo("project:p1");
      c.emit("u", "join_room", Map.of("room", "user:someone-else"), false);
      assertThat(c.event("u", "error").path("message").asText())
          .isEqualTo("Cannot join another user's room");
      c.emit("u", "join_room", Map.of("room", "lobby"), false);
      assertThat(c.event("u", "error").path("message").asText()).startsWith("Invalid room");

      // To survey:s1 and project:p1, both joined: one delivery.
      var r =
          Http.post(
              server.port,
              "/api/broadcast/survey-response",
              "{\"surveyId\":\"s1\",\"responseId\":\"r9\","
                  + "\"response\":{\"q1\":\"a\"},\"metadata\":{\"projectId\":\"p1\"}}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode resp = c.event("u", "response.new");
      assertThat(resp.path("type").asText()).isEqualTo("response.new");
      assertThat(resp.path("surveyId").asText()).isEqualTo("s1");
      assertThat(resp.path("responseId").asText()).isEqualTo("r9");
      assertThat(resp.path("response").path("q1").asText()).isEqualTo("a");
      assertThat(resp.path("metadata").path("projectId").asText()).isEqualTo("p1");
      assertThat(resp.path("timestamp").asText()).matches(ISO);

      Http.post(
          server.port,
          "/api/broadcast/location",
          "{\"surveyorId\":\"v1\",\"surveyId\":\"s1\",\"projectId\":\"p1\","
              + "\"location\":{\"coordinates\":{\"latitude\":25.2048,"
              + "\"longitude\":55.2708},\"accuracy\":10},\"metadata\":{}}");
      JsonNode loc = c.event("u", "surveyor.location");
      assertThat(loc.path("location").path("coordinates").path("latitude").asDouble())
          .isEqualTo(25.2048);
      assertThat(loc.path("surveyorId").asText()).isEqualTo("v1");

      Http.post(
          server.port,
          "/api/broadcast/user",
          "{\"userId\":\"user123\",\"event\":\"custom.event\",\"data\":{\"for\":\"me\"}}");
      assertThat(c.event("u", "custom.event").path("for").asText()).isEqualTo("me");

      c.emit("u", "leave_room", Map.of("room", "survey:s1"), false);
      assertThat(c.event("u", "room_left").path("room").asText()).isEqualTo("survey:s1");
      var stats = Http.get(server.port, "/api/stats");
      assertThat(stats.body())
          .contains(
              "\"totalConnections\":1,",
              "\"authenticatedConnections\":1,",
              "\"uniqueUsers\":1,",
              "{\"name\":\"project:p1\",\"connections\":1}")
          .doesNotContain("survey:s1");

      assertThat(c.received("u", "response.new", 300)).hasSize(1);
      assertThat(c.received("u", "surveyor.location", 0)).hasSize(1);
    }
  }

  @Test
  void aDefaultClientUpgradesFromPollingToWebSocketWithoutLosingOrRepeatingAnEvent()
      throws Exception {
    try (SioServer server = new SioServer(Map.of());
        SioDriver c = new SioDriver(server.port)) {
      c.connect("d", List.of("polling", "websocket"), Map.of(), false); // io(url)'s default
      c.event("d", "connected");
      // Published from here while the client polls, probes and switches (or has switched): each
      // arrives once, in order.
      Thread publisher =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < 40; i++) {
                      Http.post(
                          server.port,
                          "/api/broadcast/global",
                          "{\"event\":\"n\",\"data\":" + i + "}");
                      try {
                        Thread.sleep(
                            5); // paces the publishes, so they span the probe and the switch
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      assertThat(
              c.await("d", r -> r.path("ev").asText().equals("upgrade")).path("transport").asText())
          .isEqualTo("websocket");
      publisher.join();
      c.await("d", r -> r.path("ev").asText().equals("n") && r.path("args").path(0).asInt() == 39);
      List<Integer> got =
          c.received("d", "n", 300).stream().map(r -> r.path("args").path(0).asInt()).toList();
      assertThat(got).containsExactlyElementsOf(IntStream.range(0, 40).boxed().toList());
      c.emit("d", "ping", null, true);
      assertThat(c.event("d", "ack").path("timestamp").asText()).matches(ISO);
      assertThat(Http.get(server.port, "/metrics").body())
          .containsPattern("(?m)^herald_websocket_polling_sessions 0(\\.0)?$");
    }
  }

  @Test
  void aBadTokenIsRefusedWithAConnectError() throws Exception {
    try (SioServer server = new SioServer(Map.of());
        SioDriver c = new SioDriver(server.port)) {
      String forged = SioServer.token("admin", "admin");
      forged =
          forged.substring(0, forged.length() - 4) + (forged.endsWith("AAAA") ? "BBBB" : "AAAA");
      c.connect("x", List.of("websocket"), Map.of("token", forged), false);
      assertThat(
              c.await("x", r -> r.path("ev").asText().equals("connect_error"))
                  .path("message")
                  .asText())
          .isEqualTo("Authentication error: bad signature");
    }
  }

  @Test
  void aReconnectingClientRecoversItsRoomsAndMissesNothing() throws Exception {
    try (SioServer server = new SioServer(Map.of());
        SioDriver c = new SioDriver(server.port)) {
      String firstId = awayAfterOneEvent(server, c, "u7", "survey:42");
      publish(server, "survey:42", 1, 3); // while away: these can only come back as a replay
      c.op("resume", "r");
      JsonNode again = c.await("r", x -> x.path("ev").asText().equals("connect"));
      assertThat(again.path("recovered").asBoolean()).isTrue();
      assertThat(again.path("id").asText()).isEqualTo(firstId);
      JsonNode hello = c.event("r", "connected");
      assertThat(hello.path("recovered").asBoolean()).isTrue();
      assertThat(hello.path("rooms").toString()).contains("survey:42");
      publish(server, "survey:42", 4, 4);
      c.await("r", x -> x.path("ev").asText().equals("n") && x.path("args").path(0).asInt() == 4);
      List<Integer> got =
          c.received("r", "n", 300).stream().map(x -> x.path("args").path(0).asInt()).toList();
      assertThat(got).containsExactly(0, 1, 2, 3, 4);
      int reconnected =
          c.indexOf(
              "r", x -> x.path("ev").asText().equals("connect") && x.path("recovered").asBoolean());
      assertThat(
              c.indexOf(
                  "r",
                  x -> x.path("ev").asText().equals("n") && x.path("args").path(0).asInt() == 1))
          .as("replayed after the reconnect")
          .isGreaterThan(reconnected);
    }
  }

  @Test
  void withAHistoryDirectoryAClientRecoversAcrossAGracefulRestart(@TempDir Path dir)
      throws Exception {
    int port = Ports.free();
    var durable = new HubConfig(HistoryConfig.DEFAULT, Optional.of(dir));
    try (SioDriver c = new SioDriver(port)) {
      String firstId;
      try (SioServer first = new SioServer(Map.of(), false, port, durable)) {
        firstId = awayAfterOneEvent(first, c, "u9", "survey:77");
      }
      try (SioServer second = new SioServer(Map.of(), false, port, durable)) {
        publish(second, "survey:77", 1, 2); // on the restarted server while the client is away
        c.op("resume", "r");
        JsonNode again = c.await("r", x -> x.path("ev").asText().equals("connect"));
        assertThat(again.path("recovered").asBoolean()).isTrue();
        assertThat(again.path("id").asText()).isEqualTo(firstId);
        assertThat(c.event("r", "connected").path("rooms").toString()).contains("survey:77");
        publish(second, "survey:77", 3, 3);
        c.await("r", x -> x.path("ev").asText().equals("n") && x.path("args").path(0).asInt() == 3);
        assertThat(
                c.received("r", "n", 300).stream()
                    .map(x -> x.path("args").path(0).asInt())
                    .toList())
            .containsExactly(0, 1, 2, 3);
      }
    }
  }

  @Test
  void withAHistoryDirectoryAClientRecoversAfterTheServerIsKilled(@TempDir Path dir)
      throws Exception {
    int port = Ports.free();
    Map<String, String> env =
        Map.of(
            "JWT_SECRET",
            SioServer.SECRET,
            "HERALD_HISTORY_DIR",
            dir.toString(),
            "HERALD_KAFKA_ENABLED",
            "false");
    try (SioDriver c = new SioDriver(port)) {
      String firstId;
      try (HeraldNode first = HeraldNode.start("websocket", env, port)) {
        c.connect("r", List.of("websocket"), Map.of("token", SioServer.token("u11", "user")), true);
        firstId = c.await("r", x -> x.path("ev").asText().equals("connect")).path("id").asText();
        c.emit("r", "join_room", Map.of("room", "survey:79"), false);
        c.event("r", "room_joined");
        Http.post(
            port, "/api/broadcast/room", "{\"room\":\"survey:79\",\"event\":\"n\",\"data\":0}");
        assertThat(c.event("r", "n").asInt()).isZero();
        Path sessions = dir.resolve("socket.io-sessions.json");
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> Files.exists(sessions) && Files.readString(sessions).contains("survey:79"));
        first.kill(); // SIGKILL: no stop, no session file written on the way out
      }
      try (HeraldNode second = HeraldNode.start("websocket", env, port)) {
        for (int i = 1; i <= 2; i++)
          Http.post(
              port,
              "/api/broadcast/room",
              "{\"room\":\"survey:79\",\"event\":\"n\",\"data\":" + i + "}");
        JsonNode again =
            c.await(
                "r",
                x -> x.path("ev").asText().equals("connect") && x.path("recovered").asBoolean());
        assertThat(again.path("id").asText()).isEqualTo(firstId);
        Http.post(
            port, "/api/broadcast/room", "{\"room\":\"survey:79\",\"event\":\"n\",\"data\":3}");
        c.await("r", x -> x.path("ev").asText().equals("n") && x.path("args").path(0).asInt() == 3);
        assertThat(
                c.received("r", "n", 300).stream()
                    .map(x -> x.path("args").path(0).asInt())
                    .toList())
            .containsExactly(0, 1, 2, 3);
      }
    }
  }

  @Test
  void withAHistoryDirectoryAClientConnectedThroughAGracefulRestartRecovers(@TempDir Path dir)
      throws Exception {
    int port = Ports.free();
    var durable = new HubConfig(HistoryConfig.DEFAULT, Optional.of(dir));
    try (SioDriver c = new SioDriver(port)) {
      String firstId;
      try (SioServer first = new SioServer(Map.of(), false, port, durable)) {
        c.connect("r", List.of("websocket"), Map.of("token", SioServer.token("u10", "user")), true);
        firstId = c.await("r", x -> x.path("ev").asText().equals("connect")).path("id").asText();
        c.emit("r", "join_room", Map.of("room", "survey:78"), false);
        c.event("r", "room_joined");
        publish(first, "survey:78", 0, 0);
        assertThat(c.event("r", "n").asInt()).isZero();
      } // a graceful stop: the server closes the client's connection (1001), the client keeps
      // trying to reconnect
      try (SioServer second = new SioServer(Map.of(), false, port, durable)) {
        publish(second, "survey:78", 1, 2);
        JsonNode again =
            c.await(
                "r",
                x -> x.path("ev").asText().equals("connect") && x.path("recovered").asBoolean());
        assertThat(again.path("id").asText()).isEqualTo(firstId);
        publish(second, "survey:78", 3, 3);
        c.await("r", x -> x.path("ev").asText().equals("n") && x.path("args").path(0).asInt() == 3);
        assertThat(
                c.received("r", "n", 300).stream()
                    .map(x -> x.path("args").path(0).asInt())
                    .toList())
            .containsExactly(0, 1, 2, 3);
      }
    }
  }

  @Test
  void aClientThatMissedMoreThanHalfItsQueueStartsAfresh() throws Exception {
    try (SioServer server = new SioServer(Map.of("HERALD_OUTBOX_MAX_MESSAGES", "10"));
        SioDriver c = new SioDriver(server.port)) {
      String firstId = awayAfterOneEvent(server, c, "u8", "survey:5");
      publish(server, "survey:5", 1, 6);
      c.op("resume", "r");
      JsonNode again = c.await("r", x -> x.path("ev").asText().equals("connect"));
      assertThat(again.path("recovered").asBoolean()).as("6 missed, replay limit 5").isFalse();
      assertThat(again.path("id").asText()).isNotEqualTo(firstId);
      assertThat(c.event("r", "connected").path("rooms").toString())
          .isEqualTo("[\"global\",\"user:u8\"]");
    }
  }

  /**
   * Client "r" as {@code user} joins {@code room}, receives event n=0 there, then drops and stays
   * away (until the test sends "resume") once the server has saved its state. Returns its socket
   * id.
   */
  private static String awayAfterOneEvent(SioServer server, SioDriver c, String user, String room)
      throws Exception {
    c.connect("r", List.of("websocket"), Map.of("token", SioServer.token(user, "user")), true);
    String id = c.await("r", x -> x.path("ev").asText().equals("connect")).path("id").asText();
    c.event("r", "connected");
    c.emit("r", "join_room", Map.of("room", room), false);
    c.event("r", "room_joined");
    publish(server, room, 0, 0);
    assertThat(c.event("r", "n").asInt()).isZero();
    c.op("hold", "r");
    c.await("r", x -> x.path("ev").asText().equals("disconnect"));
    awaitRecoverable(server);
    return id;
  }

  /** Events "n" with data {@code from} to {@code to} to {@code room}. */
  private static void publish(SioServer server, String room, int from, int to) {
    for (int i = from; i <= to; i++) {
      Http.post(
          server.port,
          "/api/broadcast/room",
          "{\"room\":\"" + room + "\",\"event\":\"n\",\"data\":" + i + "}");
    }
  }

  /**
   * The server has saved the dropped socket's state (its close is processed), so a reconnect can
   * recover it.
   */
  private static void awaitRecoverable(SioServer server) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Http.get(server.port, "/metrics").body())
                    .containsPattern("(?m)^herald_websocket_recoverable 1\\.0$"));
  }

  @Test
  void behindATrustedProxyConnectionsAreCountedPerForwardedAddress() throws Exception {
    try (SioServer server =
            new SioServer(
                Map.of("MAX_CONNECTIONS_PER_IP", "1", "HERALD_TRUSTED_PROXIES", "127.0.0.1"));
        SioDriver c = new SioDriver(server.port)) {
      for (String t : List.of("websocket", "polling")) {
        String a = t + "-a", b = t + "-b", again = t + "-again";
        c.connect(a, List.of(t), Map.of(), false, Map.of("X-Forwarded-For", "203.0.113.5"));
        c.event(a, "connected");
        c.connect(b, List.of(t), Map.of(), false, Map.of("X-Forwarded-For", "203.0.113.6"));
        c.event(b, "connected"); // the proxy's own address (127.0.0.1) would have refused this one
        c.connect(again, List.of(t), Map.of(), false, Map.of("X-Forwarded-For", "203.0.113.5"));
        assertThat(
                c.await(again, r -> r.path("ev").asText().equals("connect_error"))
                    .path("message")
                    .asText())
            .isEqualTo("Too many connections from this IP");
        for (String n : List.of(a, b)) c.op("close", n);
        awaitNoConnections(server);
      }
    }
  }

  private static void awaitNoConnections(SioServer server) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Http.get(server.port, "/api/stats").body())
                    .contains("\"totalConnections\":0"));
  }

  @Test
  void messagesOutCountsTheSocketsAnEventReachedNotTheRoomIndexes() throws Exception {
    try (SioServer server = new SioServer(Map.of());
        SioDriver c = new SioDriver(server.port)) {
      c.connected("m", List.of("websocket"), Map.of("token", SioServer.token("u11", "user")));
      c.emit("m", "join_room", Map.of("room", "survey:1"), false);
      c.event("m", "room_joined");
      publish(
          server,
          "survey:2",
          0,
          0); // nobody there: one room index per event loop looks at it, no socket gets it
      publish(server, "survey:1", 1, 1);
      assertThat(c.event("m", "n").asInt()).isEqualTo(1);
      assertThat(Http.get(server.port, "/metrics").body())
          .containsPattern("(?m)^herald_messages_out_total 1\\.0$");
    }
  }

  @Test
  void rateLimitAndConnectionsPerAddress() throws Exception {
    try (SioServer server =
            new SioServer(Map.of("RATE_LIMIT_MAX_MESSAGES", "4", "MAX_CONNECTIONS_PER_IP", "2"));
        SioDriver c = new SioDriver(server.port)) {
      c.connected("a", List.of("websocket"), Map.of());
      for (int i = 0; i < 5; i++)
        c.emit("a", "ping", null, false); // with the CONNECT packet: 6 of 4 allowed
      JsonNode limited = c.event("a", "rate_limit_exceeded");
      assertThat(limited.path("message").asText()).isEqualTo("Too many messages");
      assertThat(limited.path("retryAfter").asLong()).isBetween(1L, 60_000L);
      assertThat(c.received("a", "pong", 300)).hasSize(3);
      assertThat(c.received("a", "rate_limit_exceeded", 0)).as("one warning per window").hasSize(1);

      c.connected("b", List.of("polling"), Map.of());
      c.connect("c", List.of("websocket"), Map.of(), false);
      assertThat(
              c.await("c", r -> r.path("ev").asText().equals("connect_error"))
                  .path("message")
                  .asText())
          .isEqualTo("Too many connections from this IP");
      c.op("close", "a"); // a slot is freed when a socket leaves
      c.connected("d", List.of("websocket"), Map.of());
    }
  }
}
