package io.herald.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.Http;
import io.lettuce.core.RedisClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The telemetry contract on the machine's real Redis (database 5, emptied before each test), and two instances sharing it. */
class RedisTelemetryIT extends TelemetryContract {
  static final String URL = "redis://127.0.0.1:6379/5";

  @Override
  Optional<String> redisUrl() {
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
  void aPublishOnOneInstanceWakesALongPollParkedOnAnother() throws Exception {
    TelemetryServer a = server(), b = server();
    var pending = async(a.port, "/v1/polling/admin/events?longPoll=true&lastEventId=$", Tokens.admin("root"));
    await().atMost(Duration.ofSeconds(5)).until(() -> json(Http.get(a.port, "/health")).at("/services/telemetry/waiting").asInt() == 1);
    String id = publish(b.port, "new-order", "{\"orderId\":\"77\"}");
    HttpResponse<String> r = pending.get(5, TimeUnit.SECONDS);
    assertThat(ids(json(r))).containsExactly(id);
    // Ids come from one counter in Redis: ordered across instances.
    String next = publish(a.port, "new-order", "{\"orderId\":\"78\"}");
    assertThat(EventId.parse(next)).isGreaterThan(EventId.parse(id));
    assertThat(json(Http.get(a.port, "/health")).at("/dependencies/redis/status").asText()).isEqualTo("up");
  }

  @Test
  void withRedisUnreachableHealthIs503AndRequestsGetA503NotAHang() {
    TelemetryServer s = new TelemetryServer(TelemetryServer.config(Optional.of("redis://127.0.0.1:1/0"), Duration.ofSeconds(5),
        Duration.ofHours(1), Optional.empty()));
    toClose.add(s);
    assertThat(Http.get(s.port, "/health").statusCode()).isEqualTo(503);
    HttpResponse<String> pub = Http.post(s.port, "/v1/internal/events/new-order", "{\"orderId\":\"1\"}");
    assertThat(pub.statusCode()).isEqualTo(503);
    assertThat(json(pub).get("error").asText()).isEqualTo("unavailable");
    assertThat(Http.get(s.port, "/v1/polling/admin/events", Tokens.bearer(Tokens.admin("root"))).statusCode()).isEqualTo(503);
  }
}
