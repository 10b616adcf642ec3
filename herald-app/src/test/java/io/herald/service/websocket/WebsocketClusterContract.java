package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testkit.EngineServer;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.SioDriver;
import io.herald.testkit.TcpProxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three websocket nodes on a shared engine, each its own process, and the npm socket.io-client:
 * broadcasts reach the sockets of every node, and a client whose node is killed recovers its
 * session, rooms and missed events on the other, through a load balancer that sends its reconnect
 * there. Run on Redis ({@link WebsocketClusterIT}) and NATS JetStream ({@link
 * WebsocketClusterNatsIT}).
 */
abstract class WebsocketClusterContract {
  private final EngineServer engine = server();
  private HeraldNode a;
  private HeraldNode b;
  private HeraldNode c;

  /** The engine's server, not started. */
  abstract EngineServer server();

  @BeforeEach
  void start() throws Exception {
    engine.start();
    Map<String, String> env = new HashMap<>(engine.env());
    env.putAll(
        Map.of(
            "HERALD_KAFKA_ENABLED",
            "false",
            "JWT_SECRET",
            SioServer.SECRET,
            "MAX_CONNECTIONS_PER_IP",
            "100"));
    List<HeraldNode> three = HeraldNode.startAll(3, "websocket", env);
    a = three.get(0);
    b = three.get(1);
    c = three.get(2);
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    c.close();
    engine.close();
  }

  static void broadcast(HeraldNode node, String room, int n) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () ->
                Http.post(
                            node.port,
                            "/api/broadcast/room",
                            "{\"room\":\""
                                + room
                                + "\",\"event\":\"news\",\"data\":{\"n\":"
                                + n
                                + "}}")
                        .statusCode()
                    == 200);
  }

  static List<Integer> numbers(SioDriver c, String name) throws InterruptedException {
    return c.received(name, "news", 0).stream()
        .map(r -> r.path("args").path(0).path("n").asInt())
        .toList();
  }

  @Test
  void aBroadcastOnAnyNodeReachesTheSocketsOfEveryNodeOnceInOrder() throws Exception {
    List<HeraldNode> nodes = List.of(a, b, c);
    try (SioDriver onA = new SioDriver(a.port);
        SioDriver onB = new SioDriver(b.port);
        SioDriver onC = new SioDriver(c.port)) {
      onA.connected("x", List.of("websocket"), Map.of("token", SioServer.token("u1", "user")));
      onB.connected("y", List.of("websocket"), Map.of("token", SioServer.token("u2", "user")));
      onC.connected(
          "z",
          List.of("polling"),
          Map.of("token", SioServer.token("u3", "user"))); // long-polling too
      for (int i = 0; i < 12; i++) broadcast(nodes.get(i % 3), "global", i);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  numbers(onA, "x").size() >= 12
                      && numbers(onB, "y").size() >= 12
                      && numbers(onC, "z").size() >= 12);
      Thread.sleep(300); // a quiet period: a duplicate would arrive within it
      List<Integer> all = IntStream.range(0, 12).boxed().toList();
      assertThat(numbers(onA, "x")).isEqualTo(all);
      assertThat(numbers(onB, "y")).isEqualTo(all);
      assertThat(numbers(onC, "z")).isEqualTo(all);
    }
  }

  @Test
  void aClientOfAKilledNodeRecoversItsSessionRoomsAndMissedEventsOnTheOther() throws Exception {
    try (TcpProxy lb = new TcpProxy(a.port);
        SioDriver c = new SioDriver(lb.port())) {
      c.connect("c", List.of("websocket"), Map.of("token", SioServer.token("u1", "user")), true);
      String socketId =
          c.await("c", r -> r.path("ev").asText().equals("connect")).path("id").asText();
      c.event("c", "connected");
      c.emit("c", "join_room", Map.of("room", "survey:7"), false);
      c.event("c", "room_joined");
      for (int i = 0; i < 5; i++) broadcast(b, "survey:7", i);
      await().atMost(Duration.ofSeconds(20)).until(() -> numbers(c, "c").size() >= 5);
      lb.pointAt(b.port);
      a.kill(); // SIGKILL: no goodbye, nothing saved by the node itself
      for (int i = 5; i < 10; i++) broadcast(b, "survey:7", i); // while the client is away
      JsonNode back =
          c.await(
              "c",
              r -> r.path("ev").asText().equals("connect") && r.path("recovered").asBoolean(),
              30);
      assertThat(back.path("id").asText())
          .as("the same socket id, recovered on the other node")
          .isEqualTo(socketId);
      broadcast(b, "survey:7", 10); // the room came back with the session
      await().atMost(Duration.ofSeconds(20)).until(() -> numbers(c, "c").size() >= 11);
      Thread.sleep(300); // a quiet period: a duplicate would arrive within it
      assertThat(numbers(c, "c"))
          .as("every event once, in order, across the two nodes")
          .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }
  }

  @Test
  void afterTheEngineLosesEverythingEveryAcceptedBroadcastStillReachesTheSocketsOfBothNodesInOrder()
      throws Exception {
    try (SioDriver onA = new SioDriver(a.port);
        SioDriver onB = new SioDriver(b.port)) {
      onA.connect("x", List.of("websocket"), Map.of("token", SioServer.token("u1", "user")), true);
      onA.event("x", "connected");
      onB.connected("y", List.of("websocket"), Map.of("token", SioServer.token("u2", "user")));
      for (int i = 0; i < 3; i++) broadcast(i % 2 == 0 ? a : b, "global", i);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> numbers(onA, "x").size() >= 3 && numbers(onB, "y").size() >= 3);
      engine.stop(); // everything the engine held is gone: offsets, history, sessions
      engine.start();
      for (int i = 3; i < 6; i++)
        broadcast(i % 2 == 0 ? a : b, "global", i); // refused (503) until the engine is back
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> numbers(onA, "x").size() >= 6 && numbers(onB, "y").size() >= 6);
      Thread.sleep(300); // a quiet period: a duplicate would arrive within it
      assertThat(numbers(onA, "x")).containsExactly(0, 1, 2, 3, 4, 5);
      assertThat(numbers(onB, "y")).containsExactly(0, 1, 2, 3, 4, 5);
    }
  }
}
