package io.herald.service.websocket;

import static io.herald.service.websocket.EioRequests.RS;
import static io.herald.service.websocket.EioRequests.assertError;
import static io.herald.service.websocket.EioRequests.handshake;
import static io.herald.service.websocket.EioRequests.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.herald.core.history.HistoryConfig;
import io.herald.core.hub.HubConfig;
import io.herald.store.file.FileJournal;
import io.herald.testkit.Http;
import io.herald.testkit.Ports;
import io.herald.testkit.RawWsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The websocket service over plain HTTP: connect timeouts, room limits, tokens, the broadcast API
 * and its errors, health.
 */
class WebsocketHttpTest {
  @Test
  void aSessionThatNeverJoinsIsClosedAfterTheConnectTimeout() {
    try (SioServer s = new SioServer(Map.of("HERALD_SIO_CONNECT_TIMEOUT", "2s"))) {
      long t0 = System.nanoTime();
      String sid = handshake(s.port);
      assertThat(Http.get(s.port, poll(sid)).body()).isEqualTo("1");
      assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(1_900);
      assertError(Http.get(s.port, poll(sid)), 400, 1, "Session ID unknown");
    }
  }

  @Test
  void aSessionThatUpgradesButNeverJoinsIsClosedToo() throws Exception {
    try (SioServer s = new SioServer(Map.of("HERALD_SIO_CONNECT_TIMEOUT", "2s"));
        RawWsClient ws =
            new RawWsClient(
                s.port, "/socket.io/?EIO=4&transport=websocket&sid=" + handshake(s.port))) {
      ws.send(true, 0x1, "2probe".getBytes(StandardCharsets.UTF_8));
      assertThat(ws.next().text()).isEqualTo("3probe");
      ws.send(true, 0x1, "5".getBytes(StandardCharsets.UTF_8));
      assertThat(ws.awaitCloseCode()).isEqualTo(4002);
    }
  }

  @Test
  void aSocketIsInAtMostAHundredRooms() {
    try (SioServer s = new SioServer(Map.of("RATE_LIMIT_MAX_MESSAGES", "1000"))) {
      String sid = handshake(s.port);
      Http.post(s.port, poll(sid), "40{\"token\":\"" + SioServer.token("u1", "user") + "\"}");
      assertThat(Http.get(s.port, poll(sid)).body()).contains("\"rooms\":[\"global\",\"user:u1\"]");
      StringBuilder joins = new StringBuilder();
      for (int i = 0; i < 100; i++)
        joins
            .append(i == 0 ? "" : RS)
            .append("42[\"join_room\",{\"room\":\"survey:")
            .append(i)
            .append("\"}]");
      assertThat(Http.post(s.port, poll(sid), joins.toString()).body()).isEqualTo("ok");
      String answers = Http.get(s.port, poll(sid)).body();
      assertThat(answers.split("room_joined", -1)).hasSize(99);
      assertThat(answers.split("Too many rooms", -1)).hasSize(3);
    }
  }

  @Test
  void broadcastApiRefusesBadBodiesAndChecksTheKeyWhenSet() {
    try (SioServer s = new SioServer(Map.of("HERALD_API_KEY", "k-123"))) {
      String key = "X-API-Key";
      HttpResponse<String> noKey = Http.post(s.port, "/api/broadcast/global", "{\"event\":\"e\"}");
      assertThat(noKey.statusCode()).isEqualTo(401);
      assertThat(noKey.body()).contains("\"success\":false").doesNotContain("k-123");
      assertBad(
          Http.post(s.port, "/api/broadcast/global", "{\"event\":", key, "k-123"),
          "body is not valid JSON");
      assertBad(
          Http.post(s.port, "/api/broadcast/global", "[1]", key, "k-123"),
          "body must be a JSON object");
      assertBad(
          Http.post(s.port, "/api/broadcast/room", "{\"event\":\"e\"}", key, "k-123"),
          "room is required");
      assertBad(
          Http.post(
              s.port,
              "/api/broadcast/room",
              "{\"room\":\"kitchen\",\"event\":\"e\"}",
              key,
              "k-123"),
          "invalid room");
      assertBad(
          Http.post(s.port, "/api/broadcast/global", "{\"event\":\"connect\"}", key, "k-123"),
          "reserved");
      assertBad(
          Http.post(
              s.port, "/api/broadcast/survey-response", "{\"responseId\":\"r\"}", key, "k-123"),
          "surveyId is required");
      assertBad(
          Http.post(
              s.port,
              "/api/broadcast/location",
              "{\"surveyorId\":\"v\",\"surveyId\":\"s\"}",
              key,
              "k-123"),
          "location is required");
      HttpResponse<String> ok =
          Http.post(
              s.port,
              "/api/broadcast/user",
              "{\"userId\":\"u1\",\"event\":\"e\",\"data\":{}}",
              "Authorization",
              "Bearer k-123");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("\"rooms\":[\"user:u1\"]", "\"offset\":\"1\"");
      assertThat(Http.get(s.port, "/api/stats").statusCode())
          .as("stats name users: the key guards them too")
          .isEqualTo(401);
      HttpResponse<String> stats = Http.get(s.port, "/api/stats", key, "k-123");
      assertThat(stats.body()).startsWith("{\"success\":true,\"stats\":{\"totalConnections\":0,");
    }
  }

  @Test
  void tokensAdminsAndSubjects() {
    try (SioServer s = new SioServer(Map.of())) {
      String expired =
          SioServer.sign(
              new JWTClaimsSet.Builder()
                  .claim("userId", "late")
                  .expirationTime(Date.from(Instant.now().minusSeconds(3600)))
                  .build());
      String sid = handshake(s.port);
      Http.post(s.port, poll(sid), "40{\"token\":\"" + expired + "\"}");
      assertThat(Http.get(s.port, poll(sid)).body())
          .isEqualTo("44{\"message\":\"Authentication error: token expired\"}");

      String bySub = SioServer.sign(new JWTClaimsSet.Builder().subject("sub-user").build());
      Http.post(s.port, poll(sid), "40{\"token\":\"" + bySub + "\"}");
      assertThat(Http.get(s.port, poll(sid)).body())
          .contains("\"userId\":\"sub-user\"", "\"rooms\":[\"global\",\"user:sub-user\"]");

      String admin = handshake(s.port);
      Http.post(s.port, poll(admin), "40{\"token\":\"" + SioServer.token("boss", "admin") + "\"}");
      Http.get(s.port, poll(admin));
      Http.post(s.port, poll(admin), "42[\"join_room\",{\"room\":\"user:someone-else\"}]");
      assertThat(Http.get(s.port, poll(admin)).body())
          .startsWith("42[\"room_joined\",{\"room\":\"user:someone-else\"");
    }
  }

  @Test
  void withRecoveryOffThereIsNoPidAndNoOffset() {
    try (SioServer s = new SioServer(Map.of("HERALD_SIO_RECOVERY", "false"))) {
      String sid = handshake(s.port);
      Http.post(s.port, poll(sid), "40");
      assertThat(Http.get(s.port, poll(sid)).body())
          .startsWith("40{\"sid\":")
          .doesNotContain("pid");
      Http.post(s.port, "/api/broadcast/global", "{\"event\":\"n\",\"data\":7}");
      assertThat(Http.get(s.port, poll(sid)).body()).isEqualTo("42[\"n\",7]");
    }
  }

  @Test
  void withKafkaUnreachableHealthIs503AndBroadcastsStillWork() {
    try (SioServer s = new SioServer(Map.of("KAFKA_BROKERS", "127.0.0.1:1"), true)) {
      var health = Http.get(s.port, "/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"kafka\":{\"status\":\"down\"");
      assertThat(Http.post(s.port, "/api/broadcast/global", "{\"event\":\"n\"}").statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void withoutJwtSecretTokensAreRefusedAndAnonymousClientsConnect() throws Exception {
    try (SioServer s = new SioServer(Map.of("JWT_SECRET", ""))) {
      String sid = handshake(s.port);
      Http.post(s.port, poll(sid), "40{\"token\":\"" + SioServer.token("u1", "user") + "\"}");
      assertThat(Http.get(s.port, poll(sid)).body())
          .isEqualTo(
              "44{\"message\":\"Authentication error: tokens are not accepted: JWT_SECRET is not set on the server\"}");
      Http.post(s.port, poll(sid), "40");
      assertThat(Http.get(s.port, poll(sid)).body()).contains("\"isAnonymous\":true");
      Http.post(s.port, poll(sid), "40/admin,");
      assertThat(Http.get(s.port, poll(sid)).body())
          .isEqualTo("44/admin,{\"message\":\"Invalid namespace\"}");
    }
  }

  @Test
  void aBroadcastTheHistoryJournalCannotKeepIsRefusedWith503InTheServicesShape(@TempDir Path dir)
      throws Exception {
    var durable = new HubConfig(new HistoryConfig(2, Duration.ofMinutes(5)), Optional.of(dir));
    try (SioServer s = new SioServer(Map.of(), false, Ports.free(), durable)) {
      String body = "{\"event\":\"n\",\"data\":1}";
      assertThat(Http.post(s.port, "/api/broadcast/global", body).statusCode()).isEqualTo(200);
      assertThat(Http.post(s.port, "/api/broadcast/global", body).statusCode()).isEqualTo(200);
      // The third event opens a new segment file: a full disk there.
      Files.createSymbolicLink(
          dir.resolve(FileJournal.folder(WebsocketService.CHANNEL))
              .resolve("00000000000000000003.log"),
          Path.of("/dev/full"));
      HttpResponse<String> refused = Http.post(s.port, "/api/broadcast/global", body);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body())
          .isEqualTo(
              "{\"success\":false,\"error\":\"broadcast not accepted: the history journal could not keep it; retry\"}");
      assertThat(Http.get(s.port, "/health").body())
          .as("the offset was not used up")
          .contains("\"lastOffset\":2");
    }
  }

  private static void assertBad(HttpResponse<String> r, String error) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).startsWith("{\"success\":false,\"error\":").contains(error);
  }
}
