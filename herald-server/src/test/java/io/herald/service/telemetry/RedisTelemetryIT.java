package io.herald.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testkit.Http;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The telemetry contract on the machine's real Redis (database 5, emptied before each test), and
 * two instances sharing it.
 */
class RedisTelemetryIT extends TelemetryContract {
  static final String URL = "redis://127.0.0.1:6379/5";

  @Override
  Optional<String> engineUrl() {
    return Optional.of(URL);
  }

  @BeforeEach
  void emptyRedis() {
    RedisClient c = RedisClient.create(URL);
    try (var conn = c.connect()) {
      conn.sync().flushdb();
    } finally {
      c.shutdown();
    }
  }

  @Test
  void anInstanceStartedLaterServesWhatWasPublishedBeforeWithTheSameIds() {
    TelemetryServer a = server();
    String first = statusChange(a.port, "hana", "A");
    String second = publish(a.port, "new-order", "{\"orderId\":\"9\"}");
    TelemetryServer b = server();
    assertThat(ids(poll(b.port, "/v1/polling/admin/events", Tokens.admin("root"))))
        .containsExactly(first, second);
    assertThat(ids(poll(b.port, "/v1/polling/user/events", Tokens.user("hana"))))
        .containsExactly(first);
    JsonNode after =
        poll(b.port, "/v1/polling/admin/events?lastEventId=" + first, Tokens.admin("root"));
    assertThat(ids(after)).containsExactly(second);
    assertThat(after.path("missed").asBoolean()).isFalse();
  }

  @Test
  void scriptsRunByTheirShaAndARedisThatForgotThemIsTaughtAgain() throws Exception {
    TelemetryServer a = server();
    String first = publish(a.port, "new-order", "{\"orderId\":\"1\"}");
    RedisClient c = RedisClient.create(URL);
    try (var conn = c.connect()) {
      conn.sync().scriptFlush(); // as after a Redis restart
      conn.sync().configResetstat();
    } finally {
      c.shutdown();
    }
    String second = publish(a.port, "new-order", "{\"orderId\":\"2\"}");
    assertThat(ids(poll(a.port, "/v1/polling/admin/events", Tokens.admin("root"))))
        .containsExactly(first, second);
    c = RedisClient.create(URL);
    try (var conn = c.connect()) {
      // The flushed scripts were refused by SHA (NOSCRIPT), sent again as text, and then run by SHA
      // again.
      String stats = conn.sync().info("commandstats");
      assertThat(stats)
          .containsPattern("cmdstat_evalsha:calls=\\d+,.*failed_calls=[1-9]")
          .containsPattern("cmdstat_eval:calls=[1-9]");
    } finally {
      c.shutdown();
    }
  }

  @Test
  void aCursorFromBeforeRedisLostItsDataIsToldItMissedEventsNotGivenASilentGap() throws Exception {
    TelemetryServer a = server();
    String admin = Tokens.admin("root");
    String first = publish(a.port, "new-order", "{\"orderId\":\"1\"}");
    String second = publish(a.port, "new-order", "{\"orderId\":\"2\"}");
    var before = poll(a.port, "/v1/polling/admin/events?lastEventId=" + first, admin);
    assertThat(ids(before)).containsExactly(second);
    assertThat(before.path("missed").asBoolean()).isFalse();
    emptyRedis(); // what `redis-cli shutdown nosave` and a start leave: nothing
    String third = publish(a.port, "new-order", "{\"orderId\":\"3\"}");
    var after = poll(a.port, "/v1/polling/admin/events?lastEventId=" + first, admin);
    assertThat(ids(after)).containsExactly(third);
    assertThat(after.path("missed").asBoolean())
        .as("the second event went with Redis's data: said, not a silent gap")
        .isTrue();
    var whole = poll(a.port, "/v1/polling/admin/events?lastEventId=" + third, admin);
    assertThat(whole.path("missed").asBoolean()).as("a cursor from the new data").isFalse();
    var fresh = poll(a.port, "/v1/polling/admin/events?lastEventId=0-0", admin);
    assertThat(fresh.path("missed").asBoolean()).as("a cursor of nothing read yet").isFalse();
  }

  @Test
  void withRedisUnreachableHealthIs503AndRequestsGetA503NotAHang() {
    TelemetryServer s =
        new TelemetryServer(
            TelemetryServer.config(
                Optional.of("redis://127.0.0.1:1/0"),
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                Optional.empty()));
    toClose.add(s);
    assertThat(Http.get(s.port, "/health").statusCode()).isEqualTo(503);
    HttpResponse<String> pub =
        Http.post(s.port, "/v1/internal/events/new-order", "{\"orderId\":\"1\"}");
    assertThat(pub.statusCode()).isEqualTo(503);
    assertThat(json(pub).get("error").asText()).isEqualTo("unavailable");
    assertThat(
            Http.get(s.port, "/v1/polling/admin/events", Tokens.bearer(Tokens.admin("root")))
                .statusCode())
        .isEqualTo(503);
  }

  @Test
  void publishesBeyondWorkerPoolSizeInFlightGetA503AtOnce() throws Exception {
    TelemetryConfig base =
        TelemetryServer.config(
            Optional.of(URL), Duration.ofSeconds(5), Duration.ofHours(1), Optional.empty());
    TelemetryConfig two =
        new TelemetryConfig(
            base.engineUrl(),
            base.jwtSecret(),
            2,
            base.longPollTimeout(),
            base.environment(),
            base.corsOrigins(),
            base.eventTtl(),
            base.internalApiKey(),
            base.jwtLeeway(),
            base.maxPerStream(),
            base.sseHeartbeat(),
            base.names(),
            base.engine());
    TelemetryServer s = new TelemetryServer(two);
    toClose.add(s);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Http.get(s.port, "/health").statusCode() == 200);
    RedisClient admin = RedisClient.create(URL);
    try (var c = admin.connect()) {
      // Redis holds every command for 1.5 s (under the engine's 2 s command timeout): publishes
      // stay in flight.
      c.sync().clientPause(1500);
    }
    HttpRequest pub =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + s.port + "/v1/internal/events/new-order"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"orderId\":\"1\"}"))
            .build();
    var first = CLIENT.sendAsync(pub, HttpResponse.BodyHandlers.ofString());
    var second = CLIENT.sendAsync(pub, HttpResponse.BodyHandlers.ofString());
    // Both reached the server and wait for Redis (well within the pause): the third is one too
    // many.
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                json(Http.get(s.port, "/health")).at("/services/telemetry/publishing").asInt()
                    == 2);
    HttpResponse<String> third =
        Http.post(s.port, "/v1/internal/events/new-order", "{\"orderId\":\"3\"}");
    assertThat(third.statusCode()).isEqualTo(503);
    assertThat(third.headers().firstValue("Retry-After")).contains("1");
    assertThat(json(third).get("error").asText()).isEqualTo("unavailable");
    assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    assertThat(second.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    admin.shutdown();
  }

  @Test
  void anEventWhoseNotificationWasLostStillReachesAParkedPoll() throws Exception {
    TelemetryServer a = server();
    publish(a.port, "new-order", "{\"orderId\":\"1\"}");
    var pending =
        async(a.port, "/v1/polling/admin/events?longPoll=true&lastEventId=$", Tokens.admin("root"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> json(Http.get(a.port, "/health")).at("/services/telemetry/waiting").asInt() == 1);
    RedisClient admin = RedisClient.create(URL);
    try (var c = admin.connect()) {
      // An event appended to the log's keys as the engine's script does, but published nowhere:
      // only the engine's
      // sweep (which compares the log's top with what this instance received) can find it.
      String meta = "herald:telemetry:{log}:m", stream = "herald:telemetry:{log}:s";
      long seq = Long.parseLong(c.sync().hget(meta, "top")) + 1;
      c.sync().hset(meta, "top", Long.toString(seq));
      c.sync()
          .xadd(
              stream,
              new XAddArgs().id(seq + "-0"),
              Map.of(
                  "t",
                  Long.toString(System.currentTimeMillis()),
                  "y",
                  "LOST",
                  "d",
                  "{\"eventType\":\"LOST\",\"timestamp\":\"2026-01-01T00:00:00Z\"}"));
      // Nothing was published: within the 10 s long poll, only the sweep can bring the event to the
      // parked poll.
      HttpResponse<String> r = pending.get(5, TimeUnit.SECONDS);
      assertThat(ids(json(r))).containsExactly(Long.toString(seq));
      assertThat(json(r).at("/events/0/eventType").asText()).isEqualTo("LOST");
    } finally {
      admin.shutdown();
    }
  }
}
