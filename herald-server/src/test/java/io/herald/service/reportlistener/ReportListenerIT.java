package io.herald.service.reportlistener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.HubConfig;
import io.herald.core.hub.Subscriber;
import io.herald.protocol.json.Json;
import io.herald.testing.Http;
import io.herald.testing.WsClient;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.ServerConfig;
import io.herald.transport.ws.WsConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The report listener against the real MariaDB on this machine, a fresh database per test. */
class ReportListenerIT {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final TestDatabase db;

  ReportListenerIT() throws Exception {
    db = new TestDatabase();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose.reversed()) c.close();
    db.close();
  }

  /** Every batch the hub published, as parsed data objects; subscribed before the tail starts. */
  static final class Batches implements Subscriber {
    final List<JsonNode> data = new CopyOnWriteArrayList<>();

    public void replay(Replay r) { }

    public void deliver(Frame f) {
      try {
        data.add(Json.MAPPER.readTree(f.event().data()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    List<Long> seqs() {
      return data.stream().flatMap(d -> { List<Long> s = new ArrayList<>(); d.get("reports").forEach(r -> s.add(r.get("seq").asLong())); return s.stream(); }).toList();
    }
  }

  private record Running(HeraldServer server, Batches batches, int port) implements AutoCloseable {
    public void close() {
      server.stop().await();
    }
  }

  private Running start(String serviceName) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var cfg = new ReportListenerConfig(db.config(), Duration.ofMillis(200), 500, Duration.ofMillis(500), serviceName);
    HeraldServer server = new HeraldServer(new ServerConfig("127.0.0.1", port, 2, 4096, Duration.ofSeconds(2)), HubConfig.DEFAULT,
        List.of(new ReportListenerService(cfg, WsConfig.DEFAULT)));
    Batches batches = new Batches();
    server.context().hub().subscribe(ReportTail.CHANNEL, batches, Runnable::run, -1);
    server.start().await();
    Running r = new Running(server, batches, port);
    await().atMost(Duration.ofSeconds(20)).until(() -> Http.get(port, "/api/v3/reports/health").statusCode() == 200);
    return r;
  }

  private Running started(String serviceName) throws IOException {
    Running r = start(serviceName);
    toClose.add(r);
    return r;
  }

  @Test
  void reportsInsertedWithinOneIntervalArriveAsOneBatchWithTheSeedShape() throws Exception {
    Running r = started("rl");
    Vertx vertx = Vertx.vertx();
    toClose.add(() -> vertx.close().await());
    WsClient client = WsClient.open(vertx, r.port(), "/api/v3/reports/listen");
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      for (int i = 0; i < 3; i++) TestDatabase.insert(c, "user" + i);
      c.commit();
    }
    JsonNode msg = client.awaitType("reports");
    assertThat(msg.fieldNames()).toIterable().containsExactlyInAnyOrder("type", "data", "timestamp");
    JsonNode d = msg.get("data");
    assertThat(d.get("count").asInt()).isEqualTo(3);
    assertThat(d.get("from_seq").asLong()).isEqualTo(1);
    assertThat(d.get("to_seq").asLong()).isEqualTo(3);
    JsonNode first = d.get("reports").get(0);
    assertThat(first.fieldNames()).toIterable().containsExactly("seq", "timestamp", "id", "team", "latitude", "longitude", "x", "y", "action_id");
    assertThat(first.get("id").asText()).isEqualTo("user0");
    assertThat(first.get("latitude").asDouble()).isEqualTo(40.7128, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(first.get("x").asDouble()).isEqualTo(0.5);
    assertThat(first.get("y").isNull()).isTrue();
    assertThat(first.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    var health = Json.MAPPER.readTree(Http.get(r.port(), "/api/v3/reports/health").body());
    assertThat(health.get("service").asText()).isEqualTo("report-listener");
    assertThat(health.get("connected_clients").asInt()).isEqualTo(1);
    assertThat(health.get("last_broadcast_seq").asLong()).isEqualTo(3);
  }

  @Test
  void theFirstStartWithNoCheckpointBeginsAfterTheLatestReport() throws Exception {
    try (Connection c = db.connect()) {
      new ReportStoreSchema(db).create();
      TestDatabase.insert(c, "old1");
      TestDatabase.insert(c, "old2");
    }
    Running r = started("rl");
    try (Connection c = db.connect()) {
      TestDatabase.insert(c, "new");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> r.batches().seqs().contains(3L));
    assertThat(r.batches().seqs()).containsExactly(3L);
  }

  @Test
  void aRestartResumesFromTheCheckpointWithNothingLostOrRepeated() throws Exception {
    Running first = start("rl");
    try (Connection c = db.connect()) {
      TestDatabase.insert(c, "a");
      TestDatabase.insert(c, "b");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> first.batches().seqs().size() == 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("rl") == 2);
    first.close();
    try (Connection c = db.connect()) {
      for (String id : List.of("c", "d", "e")) TestDatabase.insert(c, id);
    }
    Running second = started("rl");
    await().atMost(Duration.ofSeconds(10)).until(() -> second.batches().seqs().size() >= 3);
    assertThat(first.batches().seqs()).containsExactly(1L, 2L);
    assertThat(second.batches().seqs()).containsExactly(3L, 4L, 5L);
  }

  @Test
  void transactionsCommittingInReverseSeqOrderLoseNothing() throws Exception {
    Running r = started("rl");
    try (Connection a = db.connect(); Connection b = db.connect()) {
      a.setAutoCommit(false);
      TestDatabase.insert(a, "slow");   // takes seq 1, not committed yet
      TestDatabase.insert(b, "fast");   // takes seq 2, committed (autocommit)
      await().atMost(Duration.ofSeconds(10)).until(() -> r.batches().seqs().contains(2L));
      Thread.sleep(1000);               // longer than the grace: the open transaction must hold the gap
      assertThat(db.checkpoint("rl")).isZero();
      a.commit();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> r.batches().seqs().size() == 2);
    assertThat(r.batches().seqs()).containsExactly(2L, 1L);
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("rl") == 2);
  }

  @Test
  void aRolledBackSeqIsPassedAfterTheGraceSoTheTailDoesNotStall() throws Exception {
    Running r = started("rl");
    try (Connection a = db.connect(); Connection b = db.connect()) {
      a.setAutoCommit(false);
      TestDatabase.insert(a, "doomed");  // seq 1
      TestDatabase.insert(b, "kept");    // seq 2
      a.rollback();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("rl") == 2);
    assertThat(r.batches().seqs()).containsExactly(2L);
  }
}
