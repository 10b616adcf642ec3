package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import io.herald.testkit.EngineServer;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.WsClient;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three push-hub nodes, each its own process, sharing an engine server of the test's own: what a
 * user running several instances behind a load balancer sees. Run on Redis ({@link
 * ClusterPushHubIT}) and NATS ({@link ClusterPushHubNatsIT}).
 */
abstract class ClusterPushHubContract {
  private final EngineServer engine = server();
  private final List<HeraldNode> nodes = new ArrayList<>();
  private Vertx vertx;

  /** The engine's server, not started. */
  abstract EngineServer server();

  @BeforeEach
  void startCluster() throws Exception {
    engine.start();
    vertx = Vertx.vertx();
    nodes.addAll(HeraldNode.startAll(3, "push-hub", engine.env()));
  }

  @AfterEach
  void stopCluster() throws Exception {
    nodes.forEach(HeraldNode::close);
    vertx.close().await();
    engine.close();
  }

  /**
   * POSTs a broadcast to the node, retrying while it answers 503 (the engine away); returns the
   * accepted seq.
   */
  static long broadcast(HeraldNode node, String message) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () -> {
              HttpResponse<String> r =
                  Http.post(node.port, "/api/v1/broadcast", Http.alert(message));
              return r.statusCode() == 202
                  ? Json.MAPPER.readTree(r.body()).get("seq").asLong()
                  : null;
            },
            seq -> seq != null);
  }

  /** POSTs a broadcast once: it must be accepted (202); returns its seq. */
  static long broadcastOnce(HeraldNode node, String message) throws Exception {
    HttpResponse<String> r = Http.post(node.port, "/api/v1/broadcast", Http.alert(message));
    assertThat(r.statusCode()).as("%s: %s", message, r.body()).isEqualTo(202);
    return Json.MAPPER.readTree(r.body()).get("seq").asLong();
  }

  static List<JsonNode> events(WsClient c) {
    return c.messages.stream().filter(m -> m.has("seq")).toList();
  }

  static List<String> texts(List<JsonNode> events) {
    return events.stream().map(m -> m.path("data").path("message").asText()).toList();
  }

  static void assertConsecutive(List<JsonNode> events) {
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).get("seq").asLong())
          .as("seq after %s", events.get(i - 1))
          .isEqualTo(events.get(i - 1).get("seq").asLong() + 1);
    }
  }

  /** How many nodes follow push-hub's channel. */
  long following() throws Exception {
    return engine.following("push-hub");
  }

  @Test
  void aPublishOnAnyNodeReachesEverySubscriberOnEveryNodeOnceAndInOrder() throws Exception {
    broadcast(nodes.get(0), "before any client");
    assertThat(following()).as("a node without clients does not follow the channel").isZero();
    List<WsClient> clients = new ArrayList<>();
    for (HeraldNode n : nodes)
      for (int i = 0; i < 3; i++) clients.add(WsClient.connect(vertx, n.port, "/ws"));
    assertThat(following()).isEqualTo(3);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      sent.add("m" + i);
      broadcast(nodes.get(i % 3), "m" + i);
    }
    for (WsClient c : clients) {
      await().atMost(Duration.ofSeconds(20)).until(() -> events(c).size() >= 60);
    }
    for (WsClient c : clients) {
      assertThat(texts(events(c))).isEqualTo(sent);
      assertConsecutive(events(c));
    }
  }

  /**
   * The clients' events are compared with what the publisher was told was accepted (each message
   * once, with the seq its 202 gave), not with another client's stream: a publish accepted twice,
   * or one accepted and never delivered, shows. The publisher does not retry: each message is
   * posted once, and a refusal fails the test.
   */
  @Test
  void clientsOfANodeKilledWhilePublishingResumeOnAnotherWithNothingMissedAndNothingTwice()
      throws Exception {
    List<WsClient> onVictim = new ArrayList<>();
    for (int i = 0; i < 5; i++) onVictim.add(WsClient.connect(vertx, nodes.get(0).port, "/ws"));
    List<String> accepted = new CopyOnWriteArrayList<>();
    List<Long> acceptedSeqs = new CopyOnWriteArrayList<>();
    FutureTask<Void> publisher =
        new FutureTask<>(
            () -> { // publishes through the nodes that stay, all along
              for (int i = 0; i < 200; i++) {
                acceptedSeqs.add(broadcastOnce(nodes.get(1 + i % 2), "m" + i));
                accepted.add("m" + i);
                Thread.sleep(5); // paces the publishes, so the kill lands among them
              }
              return null;
            });
    Thread.ofVirtual().start(publisher);
    await().atMost(Duration.ofSeconds(20)).until(() -> accepted.size() >= 50 || publisher.isDone());
    nodes.get(0).kill();
    List<WsClient> resumed = new ArrayList<>();
    for (WsClient c : onVictim) {
      c.awaitClose();
      List<JsonNode> got = events(c);
      long since = got.isEmpty() ? 0 : got.getLast().get("seq").asLong();
      resumed.add(
          WsClient.connect(vertx, nodes.get(1 + resumed.size() % 2).port, "/ws?since=" + since));
    }
    publisher.get(
        60, TimeUnit.SECONDS); // a refused or failed publish fails the test here, as itself
    assertThat(accepted).hasSize(200);
    for (int k = 0; k < onVictim.size(); k++) {
      WsClient after = resumed.get(k);
      int k0 = k;
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> events(onVictim.get(k0)).size() + events(after).size() >= 200);
      JsonNode r = after.awaitType("resumed");
      assertThat(r.path("data").path("recovered").asBoolean())
          .as("resumed on another node: %s", r)
          .isTrue();
      List<JsonNode> both = new ArrayList<>(events(onVictim.get(k)));
      both.addAll(events(after));
      assertThat(texts(both))
          .as("client %d: every accepted publish once, in order, across the two nodes", k)
          .isEqualTo(accepted);
      assertThat(both.stream().map(m -> m.get("seq").asLong()).toList())
          .as("client %d: the seqs the publishes were given", k)
          .isEqualTo(acceptedSeqs);
      assertConsecutive(both);
    }
  }

  @Test
  void afterTheEngineLosesEverythingClientsGetEveryEventOrAnExplicitNotRecovered()
      throws Exception {
    List<WsClient> clients =
        List.of(
            WsClient.connect(vertx, nodes.get(0).port, "/ws"),
            WsClient.connect(vertx, nodes.get(1).port, "/ws"));
    for (int i = 0; i < 20; i++) broadcast(nodes.get(i % 2), "before" + i);
    for (WsClient c : clients)
      await().atMost(Duration.ofSeconds(20)).until(() -> events(c).size() >= 20);
    engine.stop(); // everything the engine held is gone: sequences, history
    engine.start();
    for (int i = 0; i < 20; i++) broadcast(nodes.get(i % 2), "after" + i);
    for (WsClient c : clients) {
      await().atMost(Duration.ofSeconds(30)).until(() -> texts(events(c)).contains("after19"));
      // Between the last event before and the first after, the client was told (resumed, recovered
      // false).
      List<JsonNode> all = c.messages;
      int lastBefore = -1, firstAfter = -1, notice = -1;
      for (int i = 0; i < all.size(); i++) {
        JsonNode m = all.get(i);
        String text = m.path("data").path("message").asText();
        if (text.equals("before19")) lastBefore = i;
        if (text.equals("after0") && firstAfter < 0) firstAfter = i;
        if (m.path("type").asText().equals("resumed")
            && !m.path("data").path("recovered").asBoolean()
            && notice < 0
            && lastBefore >= 0) notice = i;
      }
      assertThat(notice)
          .as("a not-recovered notice after the last event before the loss")
          .isBetween(lastBefore + 1, firstAfter - 1);
      assertThat(texts(events(c)).stream().filter(t -> t.startsWith("after")).toList())
          .as("every event after, once")
          .isEqualTo(IntStream.range(0, 20).mapToObj(i -> "after" + i).toList());
      long lastOld = all.get(lastBefore).get("seq").asLong();
      assertThat(all.get(firstAfter).get("seq").asLong())
          .as("sequences never go back")
          .isGreaterThan(lastOld);
    }
    WsClient late =
        WsClient.connect(
            vertx, nodes.get(2).port, "/ws?since=5"); // a position from before the loss
    assertThat(late.awaitType("resumed").path("data").path("recovered").asBoolean()).isFalse();
  }
}
