package io.herald.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import io.herald.protocol.json.Json;
import io.herald.testkit.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The telemetry contract, run once per store: {@link MemoryTelemetryTest} (in this process) and
 * {@link RedisTelemetryIT} (the machine's real Redis).
 */
abstract class TelemetryContract {
  static final HttpClient CLIENT = HttpClient.newHttpClient();
  final List<AutoCloseable> toClose = new ArrayList<>();

  /** The engine server for the log under test (Redis or NATS URL), empty for the memory engine. */
  abstract Optional<String> engineUrl();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose.reversed()) c.close();
  }

  TelemetryServer server(Duration longPoll, Duration ttl, Optional<String> apiKey) {
    TelemetryServer s =
        new TelemetryServer(TelemetryServer.config(engineUrl(), longPoll, ttl, apiKey));
    toClose.add(s);
    if (engineUrl().isPresent())
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Http.get(s.port, "/health").statusCode() == 200);
    return s;
  }

  TelemetryServer server() {
    return server(Duration.ofSeconds(10), Duration.ofHours(24), Optional.empty());
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return Json.MAPPER.readTree(r.body());
    } catch (Exception e) {
      throw new IllegalStateException(r.statusCode() + " " + r.body(), e);
    }
  }

  static String publish(int port, String route, String body) {
    HttpResponse<String> r = Http.post(port, "/v1/internal/events/" + route, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return json(r).get("eventId").asText();
  }

  static String statusChange(int port, String user, String status) {
    return publish(
        port,
        "order-status-change",
        "{\"orderId\":\"o-"
            + status
            + "\",\"userId\":\""
            + user
            + "\",\"newStatus\":\""
            + status
            + "\"}");
  }

  static JsonNode poll(int port, String path, String token) {
    HttpResponse<String> r = Http.get(port, path, Tokens.bearer(token));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("events").forEach(e -> ids.add(e.get("id").asText()));
    return ids;
  }

  static CompletableFuture<HttpResponse<String>> async(int port, String path, String token) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .build();
    return CLIENT.sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPublishOnOneInstanceWakesALongPollParkedOnAnotherWithTheSameId() throws Exception {
    Assumptions.assumeTrue(engineUrl().isPresent(), "the memory engine is one instance's");
    TelemetryServer a = server(), b = server();
    var pending =
        async(a.port, "/v1/polling/admin/events?longPoll=true&lastEventId=$", Tokens.admin("root"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> json(Http.get(a.port, "/health")).at("/services/telemetry/waiting").asInt() == 1);
    String id = publish(b.port, "new-order", "{\"orderId\":\"77\"}");
    HttpResponse<String> r = pending.get(5, TimeUnit.SECONDS);
    assertThat(ids(json(r))).containsExactly(id);
    // Ids come from the engine's one sequence: ordered across instances.
    String next = publish(a.port, "new-order", "{\"orderId\":\"78\"}");
    assertThat(EventId.parse(next)).isGreaterThan(EventId.parse(id));
    String dependency = engineUrl().get().startsWith("nats:") ? "nats" : "redis";
    assertThat(
            json(Http.get(a.port, "/health"))
                .at("/dependencies/" + dependency + "/status")
                .asText())
        .isEqualTo("up");
  }

  @Test
  void anOrderStatusChangeReachesItsUserAndAdminsAndNobodyElse() {
    int port = server().port;
    String id = statusChange(port, "alice", "SHIPPED");
    JsonNode mine = poll(port, "/v1/polling/user/events", Tokens.user("alice"));
    assertThat(ids(mine)).containsExactly(id);
    JsonNode e = mine.get("events").get(0);
    assertThat(e.get("eventType").asText()).isEqualTo("CUSTOMER_ORDER_STATUS");
    assertThat(e.get("entityId").asText()).isEqualTo("o-SHIPPED");
    assertThat(e.get("userId").asText()).isEqualTo("alice");
    assertThat(e.get("metadata").get("newStatus").asText()).isEqualTo("SHIPPED");
    assertThat(mine.get("lastEventId").asText()).isEqualTo(id);
    assertThat(mine.get("missed").asBoolean()).isFalse();
    assertThat(ids(poll(port, "/v1/polling/user/events", Tokens.user("bob")))).isEmpty();
    assertThat(ids(poll(port, "/v1/polling/admin/events", Tokens.admin("root"))))
        .containsExactly(id);
    // The event type's stream shows it to its user and admins only.
    assertThat(
            ids(
                poll(
                    port,
                    "/v1/polling/events?eventType=CUSTOMER_ORDER_STATUS",
                    Tokens.user("alice"))))
        .containsExactly(id);
    assertThat(
            ids(
                poll(
                    port,
                    "/v1/polling/events?eventType=CUSTOMER_ORDER_STATUS",
                    Tokens.user("bob"))))
        .isEmpty();
  }

  @Test
  void eventsComeOldestFirstAfterLastEventIdInPages() {
    int port = server().port;
    String a =
        publish(
            port,
            "new-order",
            "{\"orderId\":\"1\",\"customerName\":\"John Doe\",\"totalAmount\":\"999.99\"}");
    String b =
        publish(
            port,
            "order-update",
            "{\"orderId\":\"1\",\"updateType\":\"STATUS_CHANGE\",\"details\":{\"newStatus\":\"DELIVERED\"}}");
    String c =
        publish(
            port,
            "publish",
            "{\"eventType\":\"INVENTORY\",\"action\":\"REFRESH\",\"entityId\":\"sku-1\","
                + "\"entityType\":\"PRODUCT\",\"metadata\":{\"qty\":3}}");
    String admin = Tokens.admin("root");
    JsonNode first = poll(port, "/v1/polling/admin/events?limit=2", admin);
    assertThat(ids(first)).containsExactly(a, b);
    assertThat(first.get("hasMore").asBoolean()).isTrue();
    JsonNode rest =
        poll(
            port,
            "/v1/polling/admin/events?limit=2&lastEventId=" + first.get("lastEventId").asText(),
            admin);
    assertThat(ids(rest)).containsExactly(c);
    assertThat(rest.get("hasMore").asBoolean()).isFalse();
    assertThat(rest.get("events").get(0).get("metadata").get("qty").asInt()).isEqualTo(3);
    // Untargeted events of a type are for every user.
    assertThat(ids(poll(port, "/v1/polling/events?eventType=INVENTORY", Tokens.user("bob"))))
        .containsExactly(c);
    assertThat(ids(poll(port, "/v1/polling/admin/events?lastEventId=$", admin))).isEmpty();
  }

  @Test
  void aLongPollIsParkedUntilAnEventArrivesThenAnsweredWithIt() throws Exception {
    TelemetryServer s = server();
    var pending =
        async(s.port, "/v1/polling/user/events?longPoll=true&lastEventId=$", Tokens.user("carol"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> json(Http.get(s.port, "/health")).at("/services/telemetry/waiting").asInt() == 1);
    assertThat(pending).isNotDone();
    statusChange(s.port, "dave", "IGNORED"); // someone else's: carol's poll stays parked
    String id = statusChange(s.port, "carol", "PACKED");
    HttpResponse<String> r = pending.get(5, TimeUnit.SECONDS);
    assertThat(ids(json(r))).containsExactly(id);
  }

  @Test
  void aLongPollWithNothingNewIsAnsweredEmptyAtTheTimeout() throws Exception {
    TelemetryServer s = server(Duration.ofMillis(300), Duration.ofHours(24), Optional.empty());
    String last = statusChange(s.port, "erin", "OLD");
    HttpResponse<String> r =
        async(
                s.port,
                "/v1/polling/user/events?longPoll=true&lastEventId=" + last,
                Tokens.user("erin"))
            .get(5, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ids(json(r))).isEmpty();
    assertThat(json(r).get("lastEventId").asText()).isEqualTo(last);
  }

  @Test
  void everyAuthFailureIsA401WithAJsonErrorAndNonAdminsGet403OnTheAdminRoute() {
    int port = server().port;
    String path = "/v1/polling/user/events";
    List<HttpResponse<String>> refused =
        List.of(
            Http.get(port, path),
            Http.get(port, path, "Authorization", "Basic abc"),
            Http.get(port, path, Tokens.bearer("not.a.jwt")),
            Http.get(
                port,
                path,
                Tokens.bearer(
                    Tokens.sign(
                        JWSAlgorithm.HS256,
                        "another-secret-that-is-also-at-least-32-bytes",
                        Map.of("sub", "x"),
                        Instant.now().plusSeconds(60)))),
            Http.get(
                port,
                path,
                Tokens.bearer(
                    Tokens.sign(
                        JWSAlgorithm.HS256,
                        Tokens.SECRET,
                        Map.of("sub", "x"),
                        Instant.now().minusSeconds(120)))),
            Http.get(port, path, Tokens.bearer(Tokens.unsigned("x"))),
            Http.get(
                port,
                path,
                Tokens.bearer(
                    Tokens.sign(
                        JWSAlgorithm.HS256,
                        Tokens.SECRET,
                        Map.of("roles", List.of("USER")),
                        Instant.now().plusSeconds(60)))),
            Http.get(
                port,
                path,
                Tokens.bearer(
                    Tokens.sign(
                        JWSAlgorithm.HS256,
                        Tokens.SECRET,
                        Map.of("sub", "x", "nbf", Instant.now().plusSeconds(600).getEpochSecond()),
                        Instant.now().plusSeconds(900)))));
    for (HttpResponse<String> r : refused) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
      assertThat(json(r).get("error").asText()).isEqualTo("unauthorized");
      assertThat(r.body()).doesNotContain(Tokens.SECRET);
    }
    assertThat(
            Http.get(port, "/v1/polling/admin/events", Tokens.bearer(Tokens.user("u")))
                .statusCode())
        .isEqualTo(403);
    // Expired a few seconds ago is within the leeway; Spring's authorities and userId claims are
    // understood.
    String lenient =
        Tokens.sign(
            JWSAlgorithm.HS384,
            Tokens.SECRET,
            Map.of(
                "userId",
                "42",
                "sub",
                "someone@example.com",
                "authorities",
                List.of(Map.of("authority", "ROLE_ADMIN"))),
            Instant.now().minusSeconds(5));
    assertThat(Http.get(port, "/v1/polling/admin/events", Tokens.bearer(lenient)).statusCode())
        .isEqualTo(200);
    String id = statusChange(port, "42", "X");
    assertThat(ids(poll(port, path, lenient))).containsExactly(id);
    String soon =
        Tokens.sign(
            JWSAlgorithm.HS256,
            Tokens.SECRET,
            Map.of("sub", "y", "nbf", Instant.now().plusSeconds(5).getEpochSecond()),
            Instant.now().plusSeconds(600)); // valid in 5 s: within the leeway
    assertThat(Http.get(port, path, Tokens.bearer(soon)).statusCode()).isEqualTo(200);
  }

  @Test
  void internalRoutesNeedTheKeyWhenOneIsSet() {
    int port =
        server(Duration.ofSeconds(10), Duration.ofHours(24), Optional.of("internal-key-1")).port;
    String body = "{\"orderId\":\"1\"}";
    HttpResponse<String> none = Http.post(port, "/v1/internal/events/new-order", body);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).doesNotContain("internal-key-1");
    assertThat(
            Http.post(port, "/v1/internal/events/new-order", body, "X-API-Key", "wrong")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            Http.post(port, "/v1/internal/events/new-order", body, "X-API-Key", "internal-key-1")
                .statusCode())
        .isEqualTo(202);
    assertThat(
            Http.post(
                    port,
                    "/v1/internal/events/new-order",
                    body,
                    "Authorization",
                    "Bearer internal-key-1")
                .statusCode())
        .isEqualTo(202);
  }

  @Test
  void badBodiesGet400NamingTheFieldAndUnknownRoutes404() {
    int port = server().port;
    record Case(String route, String body, String field) {}
    for (Case c :
        List.of(
            new Case("publish", "{not json", "body"),
            new Case("publish", "[1]", "body"),
            new Case("publish", "{\"action\":\"X\"}", "eventType"),
            new Case("publish", "{\"eventType\":\"A B\"}", "eventType"),
            new Case("publish", "{\"eventType\":\"A\",\"metadata\":3}", "metadata"),
            new Case("order-status-change", "{\"orderId\":\"1\",\"newStatus\":\"S\"}", "userId"),
            new Case("new-order", "{\"customerName\":\"x\"}", "orderId"),
            new Case("order-update", "{\"orderId\":\"1\"}", "updateType"))) {
      HttpResponse<String> r = Http.post(port, "/v1/internal/events/" + c.route(), c.body());
      assertThat(r.statusCode()).as(c.toString()).isEqualTo(400);
      assertThat(json(r).get("field").asText()).as(c.toString()).isEqualTo(c.field());
    }
    assertThat(
            Http.post(
                    port,
                    "/v1/internal/events/publish",
                    "{\"eventType\":\"" + "x".repeat(5000) + "\"}")
                .statusCode())
        .isEqualTo(413);
    HttpResponse<String> missing =
        Http.get(port, "/v1/polling/nothing-here", Tokens.bearer(Tokens.user("u")));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("error").asText()).isEqualTo("not_found");
    assertThat(Http.get(port, "/v1/polling/events", Tokens.bearer(Tokens.user("u"))).statusCode())
        .isEqualTo(400);
    assertThat(
            Http.get(
                    port,
                    "/v1/polling/user/events?lastEventId=abc",
                    Tokens.bearer(Tokens.user("u")))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            Http.get(
                    port, "/v1/polling/user/events?longPoll=maybe", Tokens.bearer(Tokens.user("u")))
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void eventsExpireAfterTheTtlAndAReaderBehindThemIsToldItMissedSome() throws Exception {
    TelemetryServer s = server(Duration.ofSeconds(10), Duration.ofMillis(700), Optional.empty());
    String old = statusChange(s.port, "frank", "A");
    statusChange(s.port, "frank", "B");
    Thread.sleep(1000); // past the events' 700 ms TTL
    String fresh = statusChange(s.port, "frank", "C");
    JsonNode page =
        poll(s.port, "/v1/polling/user/events?lastEventId=" + old, Tokens.user("frank"));
    assertThat(ids(page)).containsExactly(fresh);
    assertThat(page.get("missed").asBoolean()).isTrue();
    JsonNode current =
        poll(s.port, "/v1/polling/user/events?lastEventId=" + fresh, Tokens.user("frank"));
    assertThat(current.get("missed").asBoolean()).isFalse();
  }

  @Test
  void serverSentEventsDeliverLiveAndResumeFromLastEventId() throws Exception {
    int port = server().port;
    String a = statusChange(port, "gina", "A");
    String b = statusChange(port, "gina", "B");
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/stream/user/events"))
            .header("Authorization", "Bearer " + Tokens.user("gina"))
            .header("Last-Event-ID", a)
            .build();
    HttpResponse<Stream<String>> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<String> ids = new CopyOnWriteArrayList<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () ->
                    r.body()
                        .forEach(
                            line -> {
                              if (line.startsWith("id: ")) ids.add(line.substring(4));
                            }));
    await().atMost(Duration.ofSeconds(5)).until(() -> ids.contains(b));
    String c = statusChange(port, "gina", "C");
    await().atMost(Duration.ofSeconds(5)).until(() -> ids.contains(c));
    assertThat(ids).containsExactly(b, c);
    r.body().close(); // ends the reader's forEach and the connection
    reader.join(5_000);
  }

  @Test
  void anIdleServerSentEventStreamGetsHeartbeatComments() throws Exception {
    int port = server().port; // heartbeat every 500 ms in the tests
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/stream/admin/events"))
            .header("Authorization", "Bearer " + Tokens.admin("root"))
            .build();
    HttpResponse<Stream<String>> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofLines());
    try (var lines =
        r.body()) { // a stream without heartbeats fails here instead of hanging the build
      assertThat(
              assertTimeoutPreemptively(
                  Duration.ofSeconds(10), () -> lines.filter(l -> l.startsWith(":")).findFirst()))
          .contains(": keep-alive");
    }
  }

  @Test
  void onShutdownParkedLongPollsAreAnsweredAndStreamsEnd() throws Exception {
    TelemetryServer s =
        new TelemetryServer(
            TelemetryServer.config(
                engineUrl(), Duration.ofSeconds(60), Duration.ofHours(1), Optional.empty()));
    if (engineUrl().isPresent())
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Http.get(s.port, "/health").statusCode() == 200);
    var poll =
        async(s.port, "/v1/polling/admin/events?longPoll=true&lastEventId=$", Tokens.admin("root"));
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port + "/v1/stream/admin/events"))
            .header("Authorization", "Bearer " + Tokens.admin("root"))
            .build();
    var stream = CLIENT.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> json(Http.get(s.port, "/health")).at("/services/telemetry/waiting").asInt() == 2);
    s.close();
    HttpResponse<String> answered =
        poll.get(5, TimeUnit.SECONDS); // not after the 60 s poll timeout
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(ids(json(answered))).isEmpty();
    assertThat(stream.get(5, TimeUnit.SECONDS).body()).startsWith("retry: 3000");
  }
}
