package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.WsClient;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/herald.json against a real {@code herald all}: every metric a panel queries is one
 * /metrics exposes (after an event was published and a client was closed for an oversized message,
 * so the series named on first use exist too), so a renamed metric cannot leave an empty panel
 * behind.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "herald.json");
  private static final Pattern METRIC = Pattern.compile("\\b((?:herald|jvm|process)_[a-z_]+)\\b");

  @Test
  void everyPanelQueriesMetricsHeraldExposes() throws Exception {
    JsonNode dashboard = Json.MAPPER.readTree(Files.readString(DASHBOARD));
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.get("panels")) {
      assertThat(panel.path("title").asText()).isNotBlank();
      assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
      for (JsonNode t : panel.get("targets")) {
        Matcher m = METRIC.matcher(t.get("expr").asText());
        while (m.find()) queried.add(m.group(1));
      }
    }
    assertThat(queried).hasSizeGreaterThan(10);
    Vertx vertx = Vertx.vertx();
    try (HeraldNode node = HeraldNode.start("all", Map.of("HERALD_KAFKA_ENABLED", "false"))) {
      WsClient c = WsClient.connect(vertx, node.port, "/ws");
      assertThat(Http.post(node.port, "/api/v1/broadcast", Http.alert("dashboard")).statusCode())
          .isEqualTo(202);
      await().atMost(Duration.ofSeconds(10)).until(() -> c.seqs().size() == 1);
      c.ws.writeTextMessage(
          "x"
              .repeat(
                  4096)); // over push-hub's 512-byte limit: closed with 1009, a counted disconnect
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Http.get(node.port, "/metrics").body().contains("herald_disconnects_total"));
      Set<String> exposed = new TreeSet<>();
      for (String line : Http.get(node.port, "/metrics").body().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) exposed.add(line.split("[{ ]")[0]);
      }
      assertThat(exposed).as("the series /metrics exposes").containsAll(queried);
    } finally {
      vertx.close().await();
    }
  }
}
