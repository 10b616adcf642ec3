package io.herald.service.reportlistener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.history.HistoryConfig;
import io.herald.core.hub.HubConfig;
import io.herald.protocol.json.Json;
import io.herald.service.reportlistener.ReportListenerFixture.Running;
import io.herald.store.file.FileJournal;
import io.herald.testkit.Http;
import io.herald.testkit.NodeScript;
import io.herald.testkit.WsClient;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  private Running start(String serviceName) throws IOException {
    return start(serviceName, 500, 10_000);
  }

  private Running start(String serviceName, int batchMax, int maxReplay) throws IOException {
    return start(serviceName, batchMax, maxReplay, HubConfig.DEFAULT);
  }

  private Running start(String serviceName, int batchMax, int maxReplay, HubConfig hub)
      throws IOException {
    return ReportListenerFixture.start(db, serviceName, batchMax, maxReplay, hub);
  }

  private Running started(String serviceName) throws IOException {
    return started(serviceName, 500, 10_000);
  }

  /**
   * A node that tails the table: the one before it (same checkpoint name, just closed) may hold the
   * lock a moment longer, and a node still on standby would read its start position only after the
   * test's first inserts (a first start begins after the latest report) and skip them.
   */
  private Running started(String serviceName, int batchMax, int maxReplay) throws IOException {
    Running r = start(serviceName, batchMax, maxReplay);
    toClose.add(r);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Http.get(r.port(), "/api/v3/reports/health").statusCode() == 200);
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
    assertThat(msg.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("type", "data", "timestamp");
    JsonNode d = msg.get("data");
    assertThat(d.get("count").asInt()).isEqualTo(3);
    assertThat(d.get("from_seq").asLong()).isEqualTo(1);
    assertThat(d.get("to_seq").asLong()).isEqualTo(3);
    JsonNode first = d.get("reports").get(0);
    assertThat(first.fieldNames())
        .toIterable()
        .containsExactly(
            "seq", "timestamp", "id", "team", "latitude", "longitude", "x", "y", "action_id");
    assertThat(first.get("id").asText()).isEqualTo("user0");
    assertThat(first.get("latitude").asDouble()).isEqualTo(40.7128, Offset.offset(1e-4));
    assertThat(first.get("x").asDouble()).isEqualTo(0.5);
    assertThat(first.get("y").isNull()).isTrue();
    assertThat(first.get("timestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    var health = Json.MAPPER.readTree(Http.get(r.port(), "/api/v3/reports/health").body());
    assertThat(health.get("service").asText()).isEqualTo("report-listener");
    assertThat(health.get("connected_clients").asInt()).isEqualTo(1);
    assertThat(health.get("last_broadcast_seq").asLong()).isEqualTo(3);
  }

  @Test
  void aBatchTheHistoryJournalRefusesIsReadAgainNotLost(@TempDir Path dir) throws Exception {
    var durable = new HubConfig(new HistoryConfig(2, Duration.ofMinutes(5)), Optional.of(dir));
    Running r = start("rl", 500, 10_000, durable);
    toClose.add(r);
    try (Connection c = db.connect()) {
      TestDatabase.insert(c, "a");
      await().atMost(Duration.ofSeconds(10)).until(() -> r.batches().seqs().size() == 1);
      TestDatabase.insert(c, "b");
      await().atMost(Duration.ofSeconds(10)).until(() -> r.batches().seqs().size() == 2);
      // The third batch is the hub's event 3, which opens a new segment file: a directory stands in
      // its place.
      Path segment =
          dir.resolve(FileJournal.folder(ReportTail.CHANNEL)).resolve("00000000000000000003.log");
      Files.createSymbolicLink(segment, dir);
      TestDatabase.insert(c, "c");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Http.get(r.port(), "/api/v3/reports/health").body().contains("unhealthy"));
      Files.delete(segment); // the disk is back
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> r.batches().seqs().size() == 3);
    assertThat(r.batches().seqs()).containsExactly(1L, 2L, 3L);
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
    try (Connection a = db.connect();
        Connection b = db.connect()) {
      a.setAutoCommit(false);
      TestDatabase.insert(a, "slow"); // takes seq 1, not committed yet
      TestDatabase.insert(b, "fast"); // takes seq 2, committed (autocommit)
      await().atMost(Duration.ofSeconds(10)).until(() -> r.batches().seqs().contains(2L));
      Thread.sleep(1000); // longer than the grace: the open transaction must hold the gap
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
    try (Connection a = db.connect();
        Connection b = db.connect()) {
      a.setAutoCommit(false);
      TestDatabase.insert(a, "doomed"); // seq 1
      TestDatabase.insert(b, "kept"); // seq 2
      a.rollback();
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("rl") == 2);
    assertThat(r.batches().seqs()).containsExactly(2L);
  }

  /** Every report seq the client received in {@code reports} messages, in arrival order. */
  static List<Long> reportSeqs(WsClient c) {
    List<Long> seqs = new ArrayList<>();
    for (JsonNode m : c.ofType("reports"))
      m.get("data").get("reports").forEach(r -> seqs.add(r.get("seq").asLong()));
    return seqs;
  }

  static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private WsClient client(Running r, String uri) {
    Vertx vertx = Vertx.vertx();
    toClose.add(() -> vertx.close().await());
    return WsClient.open(vertx, r.port(), uri);
  }

  @Test
  void aClientResumingWithSinceSeqGetsTheMissedReportsThenLiveWithNoGapOrDuplicate()
      throws Exception {
    Running r = started("rl", 8, 10_000);
    try (Connection c = db.connect()) {
      for (int i = 1; i <= 30; i++) TestDatabase.insert(c, "r" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("rl") == 30);
    // Reports keep arriving while the client replays: the seam must hold under a moving tail.
    Thread writer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (Connection c = db.connect()) {
                    for (int i = 31; i <= 70; i++) {
                      TestDatabase.insert(c, "r" + i);
                      Thread.sleep(
                          15); // paces the rows, so they keep arriving while the client replays
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    WsClient client = client(r, "/api/v3/reports/listen?since_seq=10");
    writer.join();
    await().atMost(Duration.ofSeconds(10)).until(() -> reportSeqs(client).contains(70L));
    assertThat(reportSeqs(client)).containsExactlyElementsOf(range(11, 70));
    JsonNode end = client.awaitType("replay").get("data");
    assertThat(end.get("since_seq").asLong()).isEqualTo(10);
    assertThat(end.get("complete").asBoolean()).isTrue();
    int replayed = end.get("replayed").asInt();
    assertThat(replayed).isGreaterThanOrEqualTo(20);
    assertThat(end.get("last_seq").asLong()).isEqualTo(10 + replayed);
    for (JsonNode m : client.ofType("reports"))
      assertThat(m.get("data").get("count").asInt()).isLessThanOrEqualTo(8);
  }

  @Test
  void aReplayLongerThanTheLimitIsCutAndSaysSoThenLiveContinues() throws Exception {
    Running r = started("rl", 500, 5);
    try (Connection c = db.connect()) {
      for (int i = 1; i <= 20; i++) TestDatabase.insert(c, "r" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("rl") == 20);
    WsClient client = client(r, "/api/v3/reports/listen?since_seq=0");
    JsonNode end = client.awaitType("replay").get("data");
    assertThat(end.get("complete").asBoolean()).isFalse();
    assertThat(end.get("replayed").asInt()).isEqualTo(5);
    assertThat(end.get("last_seq").asLong()).isEqualTo(5);
    try (Connection c = db.connect()) {
      TestDatabase.insert(c, "live");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> reportSeqs(client).contains(21L));
    assertThat(reportSeqs(client)).containsExactly(1L, 2L, 3L, 4L, 5L, 21L);
  }

  @Test
  void aResumeFromTheLatestSeqSendsNothingButTheEndOfReplay() throws Exception {
    Running r = started("rl");
    try (Connection c = db.connect()) {
      TestDatabase.insert(c, "a");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("rl") == 1);
    WsClient client = client(r, "/api/v3/reports/listen?since_seq=1");
    JsonNode end = client.awaitType("replay").get("data");
    assertThat(end.get("replayed").asInt()).isZero();
    assertThat(end.get("complete").asBoolean()).isTrue();
    assertThat(reportSeqs(client)).isEmpty();
  }

  @Test
  void anInvalidSinceSeqIsRefusedBeforeTheUpgradeWithAJsonError() throws Exception {
    Running r = started("rl");
    for (String bad : List.of("-1", "abc", "1.5")) {
      var res = Http.get(r.port(), "/api/v3/reports/listen?since_seq=" + bad);
      assertThat(res.statusCode()).isEqualTo(400);
      assertThat(Json.MAPPER.readTree(res.body()).toString()).contains("since_seq");
    }
  }

  @Test
  void databaseFailuresMidStreamLoseNothingAndClientsStayConnected() throws Exception {
    Running r = started("rl");
    WsClient client = client(r, "/api/v3/reports/listen");
    try (Connection c = db.connect()) {
      for (int i = 1; i <= 5; i++) TestDatabase.insert(c, "before" + i);
      await().atMost(Duration.ofSeconds(10)).until(() -> reportSeqs(client).size() == 5);
      // The table goes away (as when the database is down for the listener): health turns 503, the
      // tail retries.
      c.createStatement().execute("RENAME TABLE reports TO reports_away");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Http.get(r.port(), "/api/v3/reports/health").statusCode() == 503);
      assertThat(Http.get(r.port(), "/health").statusCode()).isEqualTo(503);
      for (int i = 6; i <= 10; i++) TestDatabase.insertInto(c, "reports_away", "during" + i);
      c.createStatement().execute("RENAME TABLE reports_away TO reports");
      // And every connection the listener holds is killed.
      db.killConnectionsExcept(c);
      for (int i = 11; i <= 15; i++) TestDatabase.insert(c, "after" + i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> reportSeqs(client).size() >= 15);
    assertThat(reportSeqs(client)).containsExactlyElementsOf(range(1, 15));
    assertThat(client.closeCode).isNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Http.get(r.port(), "/api/v3/reports/health").statusCode() == 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("rl") == 15);
  }

  @Test
  void theSeedsJavaScriptClientExampleWorksUnchangedOnTheNpmWsPackage() throws Exception {
    Running r = started("rl");
    try (NodeScript node = new NodeScript("reports-seed-client.mjs", String.valueOf(r.port()))) {
      assertThat(node.readUntil("Connected to report listener"))
          .as(String.join("\n", node.lines))
          .isTrue();
      try (Connection c = db.connect()) {
        c.setAutoCommit(false);
        TestDatabase.insert(c, "user0");
        TestDatabase.insert(c, "user1");
        c.commit();
      }
      assertThat(node.readUntil("Received 2 reports (seq 1-2)"))
          .as(String.join("\n", node.lines))
          .isTrue();
      assertThat(node.readLine()).isEqualTo("Report 1: user0 at (40.7128, -74.006)");
      assertThat(node.readLine()).isEqualTo("Report 2: user1 at (40.7128, -74.006)");
      node.writeLine("close");
      assertThat(node.readUntil("Disconnected from report listener")).isTrue();
      assertThat(node.exitCode()).isZero();
    }
  }

  @Test
  void checkStateSqlShowsTheCheckpointTheLatestSeqAndWhatMayBeMissed() throws Exception {
    Running r = start("rl");
    try (Connection c = db.connect()) {
      for (int i = 0; i < 4; i++) TestDatabase.insert(c, "s" + i);
    }
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("rl") == 4);
    } finally {
      r.close(); // stopped (also when the wait fails): what comes now is after the checkpoint
    }
    try (Connection c = db.connect()) {
      TestDatabase.insert(c, "late1");
      TestDatabase.insert(c, "late2");
    }
    String sql =
        Files.readString(NodeScript.e2eDir().getParent().resolve("scripts/check_state.sql"));
    try (Connection c = db.connect();
        var rs = c.createStatement().executeQuery(sql.replaceAll("(?m)^--.*$", ""))) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("service_name")).isEqualTo("rl");
      assertThat(rs.getLong("checkpoint")).isEqualTo(4);
      assertThat(rs.getLong("latest_seq")).isEqualTo(6);
      assertThat(rs.getLong("reports_after_checkpoint")).isEqualTo(2);
      assertThat(rs.getLong("seconds_since_update")).isBetween(0L, 60L);
    }
  }

  @Test
  void ofTwoInstancesSharingTheCheckpointOneTailsAndTheOtherTakesOverWhenItStops()
      throws Exception {
    Running a = start("shared", 500, 10_000);
    AtomicBoolean aStopped = new AtomicBoolean();
    toClose.add(
        () -> {
          if (aStopped.compareAndSet(false, true)) a.close();
        });
    try (Connection c = db.connect()) {
      for (int i = 0; i < 3; i++) TestDatabase.insert(c, "a" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("shared") == 3);
    Running b = start("shared", 500, 10_000); // on standby, so not started(), which awaits the lead
    toClose.add(b);
    assertThat(Http.get(b.port(), "/api/v3/reports/health").statusCode())
        .as("standing by")
        .isEqualTo(503);
    assertThat(Http.get(b.port(), "/api/v3/reports/listen").statusCode())
        .as("clients go to the tailing node")
        .isEqualTo(503);
    try (Connection c = db.connect()) {
      TestDatabase.insert(c, "a3");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> a.batches().seqs().contains(4L));
    assertThat(aStopped.compareAndSet(false, true)).isTrue();
    a.close(); // a graceful stop hands the lock over at once
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Http.get(b.port(), "/api/v3/reports/health").statusCode() == 200);
    try (Connection c = db.connect()) {
      TestDatabase.insert(c, "b1");
      TestDatabase.insert(c, "b2");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> b.batches().seqs().contains(6L));
    assertThat(a.batches().seqs()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(b.batches().seqs())
        .as("after the shared checkpoint, nothing twice")
        .containsExactly(5L, 6L);
    await().atMost(Duration.ofSeconds(10)).until(() -> db.checkpoint("shared") == 6);
  }
}
