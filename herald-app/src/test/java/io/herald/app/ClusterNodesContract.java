package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import io.herald.testkit.EngineServer;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The nodes on the operator's page (issue 25): three push-hub processes on an engine server of the
 * test's own, under a deployment prefix, each listing all three on /admin/api/stats; one killed
 * with SIGKILL is shown gone, then dropped, within the times docs/operations.md states for the
 * heartbeat the nodes are given (gone after three missed, dropped after ten); one stopped
 * gracefully is shown as left at once. Run on Redis ({@link ClusterNodesIT}) and NATS JetStream
 * ({@link ClusterNodesNatsIT}).
 */
abstract class ClusterNodesContract {
  private static final String KEY = "cluster-nodes-key-7d1e0c9b2a4f";

  /**
   * The nodes announce themselves every second here (HERALD_NODE_HEARTBEAT; 2 s by default), so a
   * node is gone after 3 s without one and dropped after 10 s. Not shorter: a live node on a loaded
   * CI machine must not miss three in a row.
   */
  private static final String HEARTBEAT = "1s";

  /** Gone within 4 s of the last heartbeat; with the test's polling and a loaded CI, 8 s. */
  private static final Duration GONE_WITHIN = Duration.ofSeconds(8);

  /**
   * Each node's clock starts from the last heartbeat it read, and a node reads the channel only
   * after its own heartbeat: up to a period after another node did. With the CI machine's load on
   * top, 18 s.
   */
  private static final Duration DROPPED_WITHIN = Duration.ofSeconds(18);

  private final EngineServer engine = server();
  private final List<HeraldNode> nodes = new ArrayList<>();

  /** The engine's server, not started. */
  abstract EngineServer server();

  @BeforeEach
  void startCluster() throws Exception {
    engine.start();
    Map<String, String> env = new HashMap<>(engine.env());
    env.put("HERALD_ADMIN_KEY", KEY);
    env.put("HERALD_ENGINE_PREFIX", "nodes-test");
    env.put("HERALD_NODE_HEARTBEAT", HEARTBEAT);
    nodes.addAll(HeraldNode.startAll(3, "push-hub", env));
  }

  @AfterEach
  void stopCluster() throws Exception {
    nodes.forEach(HeraldNode::close);
    engine.close();
  }

  private static JsonNode stats(HeraldNode node) throws Exception {
    HttpResponse<String> r =
        Http.get(node.port, "/admin/api/stats", "Authorization", "Bearer " + KEY);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  /** The nodes {@code node} lists, as address=state, its own marked with a *. */
  private static Map<String, String> listed(HeraldNode node) throws Exception {
    Map<String, String> out = new HashMap<>();
    for (JsonNode n : stats(node).path("nodes")) {
      out.put(
          n.path("address").asText(),
          n.path("state").asText() + (n.path("self").asBoolean() ? "*" : ""));
    }
    return out;
  }

  private static String address(HeraldNode node) {
    return "127.0.0.1:" + node.port;
  }

  @Test
  void everyNodeListsEveryNodeAndAKilledOneIsShownGoneThenDropped() throws Exception {
    for (HeraldNode n : nodes) {
      Map<String, String> expected = new HashMap<>();
      for (HeraldNode m : nodes) expected.put(address(m), m == n ? "up*" : "up");
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> assertThat(listed(n)).isEqualTo(expected));
    }
    JsonNode one = stats(nodes.get(1));
    JsonNode victim = null;
    for (JsonNode n : one.path("nodes"))
      if (n.path("address").asText().equals(address(nodes.get(0)))) victim = n;
    assertThat(victim.path("services").toString()).contains("push-hub");
    assertThat(victim.path("id").asText()).hasSize(8);
    assertThat(victim.path("pid").asLong()).isPositive();
    assertThat(one.path("channels").toString())
        .as("the heartbeat channel is not one of the node's channels")
        .doesNotContain("~nodes");
    assertThat(Http.get(nodes.get(1).port, "/metrics").body()).doesNotContain("~nodes");

    long killed = System.nanoTime();
    nodes.get(0).kill();
    for (HeraldNode n : nodes.subList(1, 3)) {
      await()
          .atMost(GONE_WITHIN)
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> assertThat(listed(n)).containsEntry(address(nodes.get(0)), "gone"));
    }
    for (HeraldNode n : nodes.subList(1, 3)) {
      await()
          .atMost(DROPPED_WITHIN.minus(Duration.ofNanos(System.nanoTime() - killed)))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () ->
                  assertThat(listed(n))
                      .containsOnlyKeys(address(nodes.get(1)), address(nodes.get(2))));
    }
  }

  @Test
  void aNodeStoppedGracefullyIsShownAsLeftAtOnce() throws Exception {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> assertThat(listed(nodes.get(1))).containsEntry(address(nodes.get(0)), "up"));
    nodes.get(0).close(); // SIGTERM: the drain, which says goodbye first
    await()
        .atMost(Duration.ofSeconds(4))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> assertThat(listed(nodes.get(1))).containsEntry(address(nodes.get(0)), "left"));
  }
}
