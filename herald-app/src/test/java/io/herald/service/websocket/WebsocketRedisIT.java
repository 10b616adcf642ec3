package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testkit.Http;
import io.herald.testkit.SioDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Two instances sharing broadcasts through the machine's real Redis, and what happens when Redis is unreachable. */
class WebsocketRedisIT {
  @Test
  void aBroadcastPostedToEitherInstanceReachesClientsOfBothInTheSameOrder() throws Exception {
    Map<String, String> env = Map.of("REDIS_URL", "redis://127.0.0.1:6379", "HERALD_SIO_REDIS_CHANNEL", "herald:test:" + UUID.randomUUID());
    try (SioServer a = new SioServer(env); SioServer b = new SioServer(env);
        SioDriver onA = new SioDriver(a.port); SioDriver onB = new SioDriver(b.port)) {
      for (SioServer s : List.of(a, b)) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Http.get(s.port, "/health").statusCode()).isEqualTo(200));
      }
      onA.connected("x", List.of("websocket"), Map.of());
      onB.connected("y", List.of("websocket"), Map.of());
      // Two publishers at once, one per instance: both instances must deliver the same interleaving.
      try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> publishers = List.of(a, b).stream().<Future<?>>map(s -> threads.submit(() -> {
          for (int i = 0; i < 20; i++) {
            var r = Http.post(s.port, "/api/broadcast/global", "{\"event\":\"n\",\"data\":\"" + (s == a ? "a" : "b") + i + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).doesNotContain("offset");
          }
        })).toList();
        for (Future<?> p : publishers) p.get();  // a publisher's failed assertion fails the test here, as itself
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> onA.received("x", "n", 50).size() >= 40 && onB.received("y", "n", 0).size() >= 40);
      List<String> seenOnA = onA.received("x", "n", 300).stream().map(r -> r.path("args").path(0).asText()).toList();
      List<String> seenOnB = onB.received("y", "n", 0).stream().map(r -> r.path("args").path(0).asText()).toList();
      assertThat(seenOnA).hasSize(40).doesNotHaveDuplicates()
          .containsAll(IntStream.range(0, 20).boxed().flatMap(i -> java.util.stream.Stream.of("a" + i, "b" + i)).toList());
      assertThat(seenOnB).as("the same order on both instances").isEqualTo(seenOnA);
    }
  }

  @Test
  void withRedisUnreachableBroadcastsAre503AndHealthSaysSo() {
    try (SioServer s = new SioServer(Map.of("REDIS_URL", "redis://127.0.0.1:1"))) {
      var r = Http.post(s.port, "/api/broadcast/global", "{\"event\":\"n\",\"data\":1}");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).startsWith("{\"success\":false,\"error\":\"broadcast not accepted");
      var health = Http.get(s.port, "/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("\"redis\":{\"status\":\"down\"").doesNotContain("127.0.0.1:1");
    }
  }
}
