package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.RedisServer;
import io.herald.testkit.SioDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seed's "Scaling with Redis": `herald websocket` instances given only REDIS_URL (no
 * HERALD_ENGINE) share their broadcasts, now through the Redis engine; and what a publisher sees
 * when that Redis is unreachable.
 */
class WebsocketRedisIT {
  @Test
  void aRoomBroadcastOnEitherInstanceReachesTheRoomOnBothOnceInTheSameOrder() throws Exception {
    try (RedisServer redis = new RedisServer().start()) {
      Map<String, String> env =
          Map.of(
              "REDIS_URL",
              redis.url(),
              "HERALD_KAFKA_ENABLED",
              "false",
              "JWT_SECRET",
              SioServer.SECRET,
              "MAX_CONNECTIONS_PER_IP",
              "100");
      try (HeraldNode a = HeraldNode.start("websocket", env);
          HeraldNode b = HeraldNode.start("websocket", env);
          SioDriver onA = new SioDriver(a.port);
          SioDriver onB = new SioDriver(b.port)) {
        assertThat(Http.get(a.port, "/health").body())
            .as("REDIS_URL alone chose the Redis engine")
            .contains("\"engine\":{\"status\":\"up\",\"engine\":\"redis\"");
        onA.connected("x", List.of("websocket"), Map.of("token", SioServer.token("u1", "user")));
        onB.connected("y", List.of("polling"), Map.of("token", SioServer.token("u2", "user")));
        onB.connected(
            "z",
            List.of("websocket"),
            Map.of("token", SioServer.token("u3", "user"))); // not in the room
        for (var c : List.of(Map.entry(onA, "x"), Map.entry(onB, "y"))) {
          c.getKey().emit(c.getValue(), "join_room", Map.of("room", "survey:7"), false);
          c.getKey().event(c.getValue(), "room_joined");
        }
        // Two publishers at once, one per instance: both instances deliver the same interleaving.
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<?>> publishers =
              List.of(a, b).stream()
                  .<Future<?>>map(
                      n ->
                          threads.submit(
                              () -> {
                                for (int i = 0; i < 10; i++) {
                                  var r =
                                      Http.post(
                                          n.port,
                                          "/api/broadcast/room",
                                          "{\"room\":\"survey:7\",\"event\":\"n\",\"data\":\""
                                              + (n == a ? "a" : "b")
                                              + i
                                              + "\"}");
                                  assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                                  assertThat(r.body())
                                      .as("one offset sequence for both instances")
                                      .contains("\"offset\":\"");
                                }
                              }))
                  .toList();
          for (Future<?> p : publishers)
            p.get(); // a publisher's failed assertion fails the test here, as itself
        }
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    onA.received("x", "n", 0).size() >= 20
                        && onB.received("y", "n", 0).size() >= 20);
        List<String> seenOnA =
            onA.received("x", "n", 300).stream().map(r -> r.path("args").path(0).asText()).toList();
        List<String> seenOnB =
            onB.received("y", "n", 0).stream().map(r -> r.path("args").path(0).asText()).toList();
        assertThat(seenOnA)
            .as("each broadcast once")
            .hasSize(20)
            .doesNotHaveDuplicates()
            .containsAll(
                IntStream.range(0, 10).boxed().flatMap(i -> Stream.of("a" + i, "b" + i)).toList());
        assertThat(seenOnB).as("the same order on both instances").isEqualTo(seenOnA);
        assertThat(onB.received("z", "n", 0)).as("a socket outside the room gets none").isEmpty();
      }
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
      assertThat(health.body())
          .contains("\"engine\":{\"status\":\"down\"")
          .doesNotContain("127.0.0.1:1");
    }
  }
}
