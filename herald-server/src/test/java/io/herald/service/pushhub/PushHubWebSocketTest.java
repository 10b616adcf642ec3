package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.history.HistoryConfig;
import io.herald.core.hub.HubConfig;
import io.herald.store.file.FileJournal;
import io.herald.testkit.Http;
import io.herald.testkit.WsClient;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushHubWebSocketTest extends ServerTestBase {
  @Test
  void connectThenReceiveEveryBroadcastTypeWithTheSeedShape() {
    server = new TestServer(PushHubConfig.DEFAULT);
    WsClient c = WsClient.connect(vertx, server.port, "/ws");
    JsonNode hello = c.awaitType("connection_established");
    assertThat(hello.path("data").path("status").asText()).isEqualTo("connected");
    assertThat(Instant.parse(hello.path("timestamp").asText())).isNotNull();

    PushHub api = apiOf(server);
    api.broadcastNewAnomaly(
        Map.of("id", "log-123", "level", "ERROR"),
        Map.of("id", "analysis-456", "anomalyScore", 0.85));
    api.broadcastLogUpdate(Map.of("id", "log-789"));
    api.broadcastStatsUpdate(Map.of("totalLogs", 10000));
    api.broadcastSystemAlert("database_error", "Database connection failed", "critical");

    assertThat(c.awaitType("new_anomaly").at("/data/analysis/anomalyScore").asDouble())
        .isEqualTo(0.85);
    assertThat(c.awaitType("log_update").at("/data/log/id").asText()).isEqualTo("log-789");
    assertThat(c.awaitType("stats_update").at("/data/stats/totalLogs").asInt()).isEqualTo(10000);
    JsonNode alert = c.awaitType("system_alert");
    assertThat(alert.path("data").path("alertType").asText()).isEqualTo("database_error");
    assertThat(alert.path("data").path("severity").asText()).isEqualTo("critical");
    assertThat(alert.path("data").has("timestamp")).isTrue();
    assertThat(alert.has("timestamp")).isTrue();
    assertThat(c.seqs()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(api.connectionStats().connectedClients()).isEqualTo(1);
    assertThat(api.connectionStats().hubStatus()).isEqualTo("running");
  }

  @Test
  void connectionsOnOneEventLoopShareOneFanOutGroup() {
    server = new TestServer(PushHubConfig.DEFAULT);
    for (int i = 0; i < 20; i++) WsClient.connect(vertx, server.port, "/ws");
    var health = Http.get(server.port, "/metrics").body();
    assertThat(health).contains("herald_fanout_loops 2.0");
  }

  private static PushHub apiOf(TestServer s) {
    return s.hub;
  }

  @Test
  void pingGetsPongWithServerTimestamp() {
    server = new TestServer(PushHubConfig.DEFAULT);
    WsClient c = WsClient.connect(vertx, server.port, "/ws");
    c.send("{\"type\":\"ping\"}");
    JsonNode pong = c.awaitType("pong");
    assertThat(Instant.parse(pong.at("/data/timestamp").asText()))
        .isCloseTo(Instant.now(), Assertions.within(10, ChronoUnit.SECONDS));
  }

  @Test
  void malformedJsonAndUnknownTypesGetAnErrorMessageAndTheConnectionStaysOpen() {
    server = new TestServer(PushHubConfig.DEFAULT);
    WsClient c = WsClient.connect(vertx, server.port, "/ws");
    c.send("{not json");
    c.send("{\"type\":\"subscribe\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> c.ofType("error").size() == 2);
    assertThat(c.ofType("error").get(0).at("/data/code").asText()).isEqualTo("invalid_json");
    assertThat(c.ofType("error").get(1).at("/data/message").asText())
        .isEqualTo("unknown message type 'subscribe'");
    c.send("{\"type\":\"ping\"}");
    c.awaitType("pong");
    assertThat(c.closeCode).isNull();
  }

  @Test
  void binaryFrameClosesWith1003() {
    server = new TestServer(PushHubConfig.DEFAULT);
    WsClient c = WsClient.connect(vertx, server.port, "/ws");
    c.ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3})).await();
    assertThat(c.awaitClose()).isEqualTo((short) 1003);
  }

  @Test
  void messageOverTheLimitClosesWith1009AndOneAtTheLimitIsAccepted() {
    server = new TestServer(PushHubConfig.DEFAULT);
    WsClient ok = WsClient.connect(vertx, server.port, "/ws");
    String atLimit = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(512 - 24) + "\"}";
    assertThat(atLimit.length()).isEqualTo(512);
    ok.send(atLimit);
    ok.awaitType("pong");
    WsClient big = WsClient.connect(vertx, server.port, "/ws");
    big.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(600) + "\"}");
    assertThat(big.awaitClose()).isEqualTo((short) 1009);
  }

  @Test
  void resumeSinceReplaysHistoryThenLiveWithNoGapAndNoDuplicate() {
    server = new TestServer(PushHubConfig.DEFAULT);
    PushHub api = apiOf(server);
    for (int i = 0; i < 10; i++) api.broadcastStatsUpdate(Map.of("n", i));
    WsClient c = WsClient.connect(vertx, server.port, "/ws?since=4");
    JsonNode resumed = c.awaitType("resumed");
    assertThat(resumed.at("/data/recovered").asBoolean()).isTrue();
    assertThat(resumed.at("/data/replayed").asInt()).isEqualTo(6);
    for (int i = 10; i < 15; i++) api.broadcastStatsUpdate(Map.of("n", i));
    await().atMost(Duration.ofSeconds(5)).until(() -> c.seqs().size() == 11);
    assertThat(c.seqs()).containsExactlyElementsOf(LongStream.rangeClosed(5, 15).boxed().toList());
  }

  @Test
  void resumeFromBeforeTheKeptHistorySaysRecoveredFalse() {
    server = new TestServer(PushHubConfig.DEFAULT, TestServer.history(3), 2);
    PushHub api = apiOf(server);
    for (int i = 0; i < 10; i++) api.broadcastStatsUpdate(Map.of("n", i));
    WsClient c = WsClient.connect(vertx, server.port, "/ws?since=2");
    JsonNode resumed = c.awaitType("resumed");
    assertThat(resumed.at("/data/recovered").asBoolean()).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.seqs().size() == 3);
    assertThat(c.seqs()).containsExactly(8L, 9L, 10L);
  }

  @Test
  void invalidSinceIsRefusedWith400BeforeTheUpgrade() {
    server = new TestServer(PushHubConfig.DEFAULT);
    var r = Http.get(server.port, "/ws?since=abc");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("\"error\":\"invalid_message\"");
  }

  @Test
  void publishRacingManyResumingClientsNeverLosesOrRepeatsAnEvent() {
    server = new TestServer(PushHubConfig.DEFAULT);
    PushHub api = apiOf(server);
    List<WsClient> clients = new ArrayList<>();
    Thread publisher =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 0; i < 300; i++) api.broadcastStatsUpdate(Map.of("n", i));
                });
    for (int i = 0; i < 10; i++) clients.add(WsClient.connect(vertx, server.port, "/ws?since=0"));
    try {
      publisher.join();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    for (WsClient c : clients) {
      await().atMost(Duration.ofSeconds(10)).until(() -> c.seqs().size() >= 300);
      assertThat(c.seqs())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 300).boxed().toList());
    }
  }

  @Test
  void withAHistoryDirectoryAClientResumesAcrossARestartAndSequencesGoOn(@TempDir Path dir) {
    HubConfig durable =
        new HubConfig(new HistoryConfig(100, Duration.ofMinutes(5)), Optional.of(dir));
    server = new TestServer(PushHubConfig.DEFAULT, durable, 2);
    for (int i = 0; i < 5; i++) apiOf(server).broadcastStatsUpdate(Map.of("n", i));
    server.close();
    server = new TestServer(PushHubConfig.DEFAULT, durable, 2);
    var accepted =
        Http.post(
            server.port,
            "/api/v1/broadcast",
            "{\"type\":\"stats_update\",\"data\":{\"stats\":{\"n\":5}}}");
    assertThat(accepted.body()).contains("\"seq\":6");
    WsClient c = WsClient.connect(vertx, server.port, "/ws?since=3");
    JsonNode resumed = c.awaitType("resumed");
    assertThat(resumed.at("/data/recovered").asBoolean()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.seqs().size() == 3);
    assertThat(c.seqs()).containsExactly(4L, 5L, 6L);
    assertThat(
            c.messages.stream()
                .filter(m -> m.at("/seq").asLong() == 4)
                .findFirst()
                .orElseThrow()
                .at("/data/stats/n")
                .asInt())
        .isEqualTo(3);
  }

  @Test
  void aSecondServerOnTheSameHistoryDirectoryDoesNotStart(@TempDir Path dir) {
    HubConfig durable =
        new HubConfig(new HistoryConfig(100, Duration.ofMinutes(5)), Optional.of(dir));
    server = new TestServer(PushHubConfig.DEFAULT, durable, 2);
    Assertions.assertThatThrownBy(() -> new TestServer(PushHubConfig.DEFAULT, durable, 2))
        .hasMessageContaining("HERALD_HISTORY_DIR")
        .hasMessageContaining("in use by another Herald");
  }

  @Test
  void anEventTheDiskCannotKeepIsRefusedWith503AndReachesNoClientAndTheNextOneFollowsWithoutAGap(
      @TempDir Path dir) throws Exception {
    HubConfig durable =
        new HubConfig(new HistoryConfig(2, Duration.ofMinutes(5)), Optional.of(dir));
    server = new TestServer(PushHubConfig.DEFAULT, durable, 2);
    WsClient c = WsClient.connect(vertx, server.port, "/ws");
    String body = "{\"type\":\"stats_update\",\"data\":{\"stats\":{\"n\":1}}}";
    assertThat(Http.post(server.port, "/api/v1/broadcast", body).statusCode()).isEqualTo(202);
    assertThat(Http.post(server.port, "/api/v1/broadcast", body).statusCode()).isEqualTo(202);
    // The third event opens a new segment file, which cannot be created while a directory stands in
    // its place.
    Path segment =
        dir.resolve(FileJournal.folder(PushHubService.CHANNEL)).resolve("00000000000000000003.log");
    Files.createSymbolicLink(segment, dir);
    var refused = Http.post(server.port, "/api/v1/broadcast", body);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("\"error\":\"unavailable\"").contains("not delivered");
    Files.delete(segment); // the disk is back
    assertThat(Http.post(server.port, "/api/v1/broadcast", body).body()).contains("\"seq\":3");
    await().atMost(Duration.ofSeconds(5)).until(() -> c.seqs().size() == 3);
    assertThat(c.seqs())
        .as("the refused event reached nobody and used no sequence")
        .containsExactly(1L, 2L, 3L);
  }
}
