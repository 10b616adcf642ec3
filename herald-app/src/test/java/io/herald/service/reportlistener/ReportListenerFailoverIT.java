package io.herald.service.reportlistener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.RedisServer;
import io.herald.testkit.TcpProxy;
import io.herald.testkit.WsClient;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two report-listener nodes on one database and the Redis engine: one tails the table, the other
 * stands by. The tailing node is killed with SIGKILL while rows are inserted; the other takes over
 * within seconds, and a client that resumes on it through a load balancer gets every row once, in
 * order.
 */
class ReportListenerFailoverIT {
  private TestDatabase db;
  private final RedisServer redis = new RedisServer();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    db = new TestDatabase();
    redis.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose.reversed()) c.close();
    redis.close();
    db.close();
  }

  private HeraldNode node() throws Exception {
    HeraldNode n =
        HeraldNode.start(
            "report-listener",
            Map.of(
                "DB_HOST",
                "127.0.0.1",
                "DB_PORT",
                "3306",
                "DB_USER",
                "root",
                "DB_PASSWORD",
                "",
                "DB_NAME",
                db.name,
                "BROADCAST_INTERVAL",
                "200ms",
                "HERALD_GAP_GRACE",
                "500ms",
                "HERALD_ENGINE",
                "redis",
                "REDIS_URL",
                redis.url()));
    toClose.add(n);
    return n;
  }

  static List<Long> seqs(WsClient c) {
    List<Long> out = new ArrayList<>();
    for (JsonNode m : c.messages)
      if (m.path("type").asText().equals("reports"))
        m.path("data").path("reports").forEach(r -> out.add(r.path("seq").asLong()));
    return out;
  }

  static int tailStatus(HeraldNode n) {
    return Http.get(n.port, "/api/v3/reports/health").statusCode();
  }

  @Test
  void whenTheTailingNodeIsKilledTheOtherTakesOverAndAResumingClientGetsEveryRowOnce()
      throws Exception {
    HeraldNode a = node();
    await().atMost(Duration.ofSeconds(20)).until(() -> tailStatus(a) == 200);
    HeraldNode b = node();
    assertThat(Http.get(b.port, "/api/v3/reports/health").body())
        .contains("\"status\":\"standby\"");
    assertThat(tailStatus(b)).isEqualTo(503);
    assertThat(Http.get(b.port, "/api/v3/reports/listen?since_seq=0").statusCode())
        .as("resumes go to the tailing node")
        .isEqualTo(503);
    Vertx vertx = Vertx.vertx();
    toClose.add(() -> vertx.close().await());
    TcpProxy lb = new TcpProxy(a.port);
    toClose.add(lb);
    WsClient first = WsClient.open(vertx, lb.port(), "/api/v3/reports/listen?since_seq=0");
    // A live client of the standby node: the tailing node's batches reach it through the engine,
    // and after the
    // failover its own.
    WsClient live =
        await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(() -> WsClient.open(vertx, b.port, "/api/v3/reports/listen"), c -> c != null);
    AtomicInteger inserted = new AtomicInteger();
    Thread inserter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (Connection c = db.connect()) {
                    for (int i = 0; i < 300; i++) {
                      TestDatabase.insert(c, "r" + i);
                      inserted.incrementAndGet();
                      Thread.sleep(10); // paces the rows, so the kill lands among them
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    await().atMost(Duration.ofSeconds(30)).until(() -> seqs(first).size() >= 80);
    a.kill();
    long killedAt = System.nanoTime();
    lb.pointAt(b.port);
    first.awaitClose();
    await().atMost(Duration.ofSeconds(20)).until(() -> tailStatus(b) == 200);
    long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
    List<Long> before = seqs(first);
    WsClient second =
        await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(
                () ->
                    WsClient.open(
                        vertx, lb.port(), "/api/v3/reports/listen?since_seq=" + before.getLast()),
                c -> c != null);
    inserter.join(Duration.ofSeconds(60));
    assertThat(inserted.get()).isEqualTo(300);
    await().atMost(Duration.ofSeconds(30)).until(() -> before.size() + seqs(second).size() >= 300);
    Thread.sleep(
        500); // a quiet period: nothing more may come, and a duplicate would arrive within it
    List<Long> all = new ArrayList<>(before);
    all.addAll(seqs(second));
    List<Long> expected = LongStream.rangeClosed(1, 300).boxed().toList();
    assertThat(all)
        .as("every row once, in order, across the failover (took %d ms)", failoverMillis)
        .isEqualTo(expected);
    assertThat(failoverMillis).as("failover within seconds").isLessThan(10_000);
    List<Long> onStandby = seqs(live);
    assertThat(onStandby)
        .as("the standby's live client: every row from its start on, once, in order")
        .isNotEmpty()
        .isEqualTo(LongStream.rangeClosed(onStandby.getFirst(), 300).boxed().toList());
    assertThat(onStandby.getFirst())
        .as("it got rows the other node published")
        .isLessThan(before.getLast());
  }
}
