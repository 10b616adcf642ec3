package io.herald.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.Http;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The telemetry contract with its log on the machine's NATS JetStream (HERALD_ENGINE=nats), and two instances sharing it. */
class NatsTelemetryIT extends TelemetryContract {
  static final String URL = "nats://127.0.0.1:4222";

  @Override
  Optional<String> engineUrl() {
    return Optional.of(URL);
  }

  @BeforeEach
  void emptyLog() throws Exception {
    try (Connection c = Nats.connect(URL)) {
      var jsm = c.jetStreamManagement();
      for (String s : jsm.getStreamNames()) if (s.startsWith("herald-telemetry_")) jsm.deleteStream(s);
    }
  }

  @Test
  void aPublishOnOneInstanceWakesALongPollParkedOnAnotherWithTheSameId() throws Exception {
    TelemetryServer a = server(), b = server();
    var pending = async(a.port, "/v1/polling/admin/events?longPoll=true&lastEventId=$", Tokens.admin("root"));
    await().atMost(Duration.ofSeconds(5)).until(() -> json(Http.get(a.port, "/health")).at("/services/telemetry/waiting").asInt() == 1);
    String id = publish(b.port, "new-order", "{\"orderId\":\"77\"}");
    HttpResponse<String> r = pending.get(5, TimeUnit.SECONDS);
    assertThat(ids(json(r))).containsExactly(id);
    String next = publish(a.port, "new-order", "{\"orderId\":\"78\"}");
    assertThat(EventId.parse(next)).isGreaterThan(EventId.parse(id));
    assertThat(json(Http.get(a.port, "/health")).at("/dependencies/nats/status").asText()).isEqualTo("up");
  }
}
