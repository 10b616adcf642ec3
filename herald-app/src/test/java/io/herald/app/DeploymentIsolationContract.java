package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.herald.protocol.json.Json;
import io.herald.testkit.EngineServer;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.Jwts;
import io.herald.testkit.SioDriver;
import io.herald.testkit.TcpProxy;
import io.herald.testkit.WsClient;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two deployments on one engine server, as two products on one managed Redis or NATS: deployment A
 * ({@code HERALD_ENGINE_PREFIX=tenant-a}, two nodes) and deployment B ({@code tenant-b}, one node),
 * each a real {@code herald all} process running push-hub, websocket, telemetry and report-listener
 * (each deployment on a database of its own). Through each service's public API, as a client would:
 * what A publishes reaches both of A's nodes and never B, and B's own traffic still reaches B (so
 * an absence is not a broken B). Run on Redis ({@link DeploymentIsolationIT}) and NATS JetStream
 * ({@link DeploymentIsolationNatsIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DeploymentIsolationContract {
  private static final String JWT_SECRET =
      "isolation-test-secret-of-at-least-sixty-four-bytes-for-hs512-too!!";
  private final EngineServer engine = server();
  private final List<String> databases = new ArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Vertx vertx;
  private HeraldNode a1;
  private HeraldNode a2;
  private HeraldNode b1;
  private String dbA;
  private String dbB;

  /** The engine's server, not started. */
  abstract EngineServer server();

  @BeforeAll
  void start() throws Exception {
    engine.start();
    vertx = Vertx.vertx();
    dbA = database();
    dbB = database();
    a1 = node("tenant-a", dbA);
    a2 = node("tenant-a", dbA);
    b1 = node("tenant-b", dbB);
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : toClose.reversed()) c.close();
    vertx.close().await();
    engine.close();
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "")) {
      for (String db : databases) c.createStatement().execute("DROP DATABASE IF EXISTS " + db);
    }
  }

  private String database() throws Exception {
    String name = "herald_iso_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "")) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    databases.add(name);
    return name;
  }

  private HeraldNode node(String prefix, String db) throws Exception {
    Map<String, String> env = new HashMap<>(engine.env());
    env.putAll(
        Map.of(
            "HERALD_ENGINE_PREFIX",
            prefix,
            "JWT_SECRET",
            JWT_SECRET,
            "HERALD_KAFKA_ENABLED",
            "false",
            "DB_HOST",
            "127.0.0.1",
            "DB_PORT",
            "3306",
            "DB_USER",
            "root",
            "DB_PASSWORD",
            "",
            "DB_NAME",
            db,
            "BROADCAST_INTERVAL",
            "200ms"));
    HeraldNode n = HeraldNode.start("all", env);
    toClose.add(n);
    return n;
  }

  // push-hub

  static long broadcast(HeraldNode node, String message) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> {
              HttpResponse<String> r =
                  Http.post(node.port, "/api/v1/broadcast", Http.alert(message));
              return r.statusCode() == 202
                  ? Json.MAPPER.readTree(r.body()).path("seq").asLong(-1)
                  : -1L;
            },
            seq -> seq >= 0);
  }

  static List<String> alerts(WsClient c) {
    return c.messages.stream()
        .filter(m -> m.has("seq"))
        .map(m -> m.path("data").path("message").asText())
        .toList();
  }

  @Test
  @Order(1)
  void pushHubBroadcastsAndHistoryStayInTheirDeployment() {
    WsClient onA1 = WsClient.connect(vertx, a1.port, "/ws");
    WsClient onA2 = WsClient.connect(vertx, a2.port, "/ws");
    WsClient onB = WsClient.connect(vertx, b1.port, "/ws");
    broadcast(a1, "secret-of-a");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> alerts(onA2).contains("secret-of-a") && alerts(onA1).contains("secret-of-a"));
    broadcast(b1, "of-b");
    await().atMost(Duration.ofSeconds(20)).until(() -> alerts(onB).contains("of-b"));
    assertThat(alerts(onB)).as("B's client sees B's broadcast only").containsExactly("of-b");
    assertThat(alerts(onA1)).as("A's clients never see B's").doesNotContain("of-b");
    // History: a client of B resuming from the start replays B's events, never A's.
    WsClient resumed = WsClient.connect(vertx, b1.port, "/ws?since=0");
    await().atMost(Duration.ofSeconds(20)).until(() -> alerts(resumed).contains("of-b"));
    assertThat(alerts(resumed)).containsExactly("of-b");
    WsClient resumedOnA = WsClient.connect(vertx, a2.port, "/ws?since=0");
    await().atMost(Duration.ofSeconds(20)).until(() -> alerts(resumedOnA).contains("secret-of-a"));
    assertThat(alerts(resumedOnA)).containsExactly("secret-of-a");
  }

  // telemetry

  static String admin() {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject("root")
            .claim("roles", List.of("ADMIN"))
            .expirationTime(Date.from(Instant.now().plusSeconds(600)))
            .build();
    return Jwts.sign("HS256", JWT_SECRET, claims.toJSONObject());
  }

  static void newOrder(HeraldNode node, String orderId, String customer) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () ->
                Http.post(
                            node.port,
                            "/v1/internal/events/new-order",
                            "{\"orderId\":\""
                                + orderId
                                + "\",\"customerName\":\""
                                + customer
                                + "\",\"totalAmount\":10}")
                        .statusCode()
                    == 202);
  }

  /** The admin stream of {@code node}, every event kept, as text (a short poll). */
  static String adminEvents(HeraldNode node) throws Exception {
    HttpResponse<String> r =
        Http.get(
            node.port, "/v1/polling/admin/events?limit=1000", "Authorization", "Bearer " + admin());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body()).path("events").toString();
  }

  @Test
  @Order(2)
  void telemetryEventsOfOneDeploymentAreNeverPolledFromTheOther() throws Exception {
    newOrder(a1, "secret-order-of-A", "Alice");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> adminEvents(a2).contains("secret-order-of-A"));
    newOrder(b1, "order-of-B", "Bob");
    await().atMost(Duration.ofSeconds(20)).until(() -> adminEvents(b1).contains("order-of-B"));
    assertThat(adminEvents(b1))
        .as("B's admin stream")
        .doesNotContain("secret-order-of-A")
        .doesNotContain("Alice");
    assertThat(adminEvents(a1)).as("A's admin stream").doesNotContain("order-of-B");
    HttpResponse<String> byType =
        Http.get(
            b1.port,
            "/v1/polling/events?eventType=NEW_ORDER&limit=1000",
            "Authorization",
            "Bearer " + admin());
    assertThat(byType.statusCode()).isEqualTo(200);
    assertThat(byType.body()).contains("order-of-B").doesNotContain("secret-order-of-A");
  }

  // report-listener

  static void insertReport(String db, String id) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db, "root", "");
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO reports (id, team, latitude, longitude, x, y, image, action_id)"
                    + " VALUES (?, 1, 40.7128, -74.006, 0.5, NULL, ?, 'action123')")) {
      p.setString(1, id);
      p.setBytes(2, new byte[] {1, 2, 3});
      p.executeUpdate();
    }
  }

  /**
   * 1 when the node tails its deployment's table (its schema is in place), 0 while it stands by or
   * starts.
   */
  static int tailing(HeraldNode n) {
    return Http.get(n.port, "/api/v3/reports/health").statusCode() == 200 ? 1 : 0;
  }

  static List<String> reportIds(WsClient c) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : c.messages)
      if (m.path("type").asText().equals("reports"))
        m.path("data").path("reports").forEach(r -> out.add(r.path("id").asText()));
    return out;
  }

  @Test
  @Order(3)
  void reportBatchesReachTheLiveClientsOfTheirDeploymentOnly() throws Exception {
    // Each deployment tails its own database (one node of A tails, the other stands by); its
    // batches travel to its
    // nodes through the engine.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> tailing(a1) + tailing(a2) == 1 && tailing(b1) == 1);
    WsClient onA1 =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> WsClient.open(vertx, a1.port, "/api/v3/reports/listen"), c -> c != null);
    WsClient onA2 =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> WsClient.open(vertx, a2.port, "/api/v3/reports/listen"), c -> c != null);
    WsClient onB =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> WsClient.open(vertx, b1.port, "/api/v3/reports/listen"), c -> c != null);
    insertReport(dbA, "report-of-a");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                reportIds(onA1).contains("report-of-a") && reportIds(onA2).contains("report-of-a"));
    insertReport(dbB, "report-of-b");
    await().atMost(Duration.ofSeconds(20)).until(() -> reportIds(onB).contains("report-of-b"));
    assertThat(reportIds(onB)).containsExactly("report-of-b");
    assertThat(reportIds(onA1)).containsExactly("report-of-a");
  }

  // websocket (Socket.IO)

  static void roomBroadcast(HeraldNode node, String text) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () ->
                Http.post(
                            node.port,
                            "/api/broadcast/room",
                            "{\"room\":\"global\",\"event\":\"news\",\"data\":{\"text\":\""
                                + text
                                + "\"}}")
                        .statusCode()
                    == 200);
  }

  static List<String> news(SioDriver c, String name) throws InterruptedException {
    return c.received(name, "news", 0).stream()
        .map(r -> r.path("args").path(0).path("text").asText())
        .toList();
  }

  @Test
  @Order(4)
  void socketIoBroadcastsAndRecoverableSessionsStayInTheirDeployment() throws Exception {
    try (SioDriver clients = new SioDriver(a1.port);
        TcpProxy toX = new TcpProxy(a2.port);
        TcpProxy toY = new TcpProxy(a2.port);
        SioDriver viaX = new SioDriver(toX.port());
        SioDriver viaY = new SioDriver(toY.port());
        SioDriver onB = new SioDriver(b1.port)) {
      clients.connected("a", List.of("websocket"), Map.of());
      onB.connected("b", List.of("websocket"), Map.of());
      viaX.connect("x", List.of("websocket"), Map.of(), true);
      String x =
          viaX.await("x", r -> r.path("ev").asText().equals("connect"), 10).path("id").asText();
      viaY.connect("y", List.of("websocket"), Map.of(), true);
      String y =
          viaY.await("y", r -> r.path("ev").asText().equals("connect"), 10).path("id").asText();
      roomBroadcast(a1, "secret-news-of-a");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  news(clients, "a").contains("secret-news-of-a")
                      && news(viaX, "x").contains("secret-news-of-a")
                      && news(viaY, "y").contains("secret-news-of-a"));
      roomBroadcast(b1, "news-of-b");
      await().atMost(Duration.ofSeconds(20)).until(() -> news(onB, "b").contains("news-of-b"));
      assertThat(news(onB, "b")).containsExactly("news-of-b");
      assertThat(news(clients, "a")).containsExactly("secret-news-of-a");
      // Sessions: both connections drop; x's reconnect reaches a1 (its own deployment) and recovers
      // its session,
      // y's reaches B, which cannot see A's sessions: y starts afresh.
      toX.pointAt(a1.port);
      toY.pointAt(b1.port);
      viaX.op("drop", "x");
      viaY.op("drop", "y");
      JsonNode backX = viaX.await("x", r -> r.path("ev").asText().equals("connect"), 30);
      assertThat(backX.path("recovered").asBoolean())
          .as("recovered on its own deployment's other node")
          .isTrue();
      assertThat(backX.path("id").asText()).isEqualTo(x);
      JsonNode backY = viaY.await("y", r -> r.path("ev").asText().equals("connect"), 30);
      assertThat(backY.path("recovered").asBoolean())
          .as("a session of A is not recoverable on B")
          .isFalse();
      assertThat(backY.path("id").asText()).isNotEqualTo(y);
    }
  }
}
