package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.PageScript;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator's page (issue 25) on a real {@code herald all}: absent without HERALD_ADMIN_KEY, its
 * API refusing a missing or wrong key and answering the right one, and the page in Chromium
 * (e2e/admin-page.mjs): signed in with the key, no console error, the figures and charts moving
 * while broadcasts flow, a wrong key refused. The screenshot lands in target/admin.png, and in
 * docs/admin.png with -Dherald.docs.write=true.
 */
class AdminPageTest {
  private static final String KEY = "admin-test-key-5f2c9a41d8e07b36";
  private static final Path DOC_SHOT = Path.of("..", "docs", "admin.png");

  @Test
  void withoutTheKeyConfiguredThereIsNoPage() throws Exception {
    try (HeraldNode node = HeraldNode.start("push-hub", Map.of())) {
      assertThat(Http.get(node.port, "/admin").statusCode()).isEqualTo(404);
      assertThat(
              Http.get(node.port, "/admin/api/stats", "Authorization", "Bearer " + KEY)
                  .statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void theApiNeedsTheKeyAndThePageShowsTheNodeMoving() throws Exception {
    try (HeraldNode node =
        HeraldNode.start("all", Map.of("HERALD_KAFKA_ENABLED", "false", "HERALD_ADMIN_KEY", KEY))) {
      HttpResponse<String> page = Http.get(node.port, "/admin");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(page.headers().firstValue("content-security-policy"))
          .hasValueSatisfying(p -> assertThat(p).contains("script-src 'sha256-"));
      assertThat(page.body()).doesNotContain(KEY);

      for (String[] headers :
          new String[][] {
            {}, {"Authorization", "Bearer wrong-" + KEY}, {"Authorization", "Basic " + KEY}
          }) {
        HttpResponse<String> refused = Http.get(node.port, "/admin/api/stats", headers);
        assertThat(refused.statusCode()).as(String.join(" ", headers)).isEqualTo(401);
        assertThat(Json.MAPPER.readTree(refused.body()).path("error").asText())
            .isEqualTo("unauthorized");
        assertThat(refused.body()).doesNotContain(KEY);
      }

      HttpResponse<String> ok =
          Http.get(node.port, "/admin/api/stats", "Authorization", "Bearer " + KEY);
      assertThat(ok.statusCode()).as(node.output()).isEqualTo(200);
      assertThat(ok.body()).doesNotContain(KEY);
      JsonNode stats = Json.MAPPER.readTree(ok.body());
      assertThat(stats.at("/node/services").toString()).contains("push-hub", "websocket");
      assertThat(stats.at("/engine/kind").asText()).isEqualTo("memory");
      assertThat(stats.at("/engine/status").asText()).isEqualTo("up");
      assertThat(stats.at("/health/services/push-hub/status").asText()).isEqualTo("up");
      assertThat(stats.at("/connections/byService").toString())
          .contains("\"service\":\"push-hub\",\"transport\":\"websocket\"");
      assertThat(stats.at("/totals/published").isNumber()).isTrue();
      assertThat(stats.at("/nodes")).as("the memory engine: this node only").hasSize(1);
      assertThat(stats.at("/nodes/0/self").asBoolean()).isTrue();
      assertThat(stats.at("/nodes/0/address").asText()).isEqualTo("127.0.0.1:" + node.port);

      Path shot = Path.of("target", "admin.png").toAbsolutePath();
      Files.deleteIfExists(shot);
      PageScript.run("admin-page.mjs", List.of(String.valueOf(node.port), KEY), shot);
      if (Boolean.getBoolean("herald.docs.write"))
        Files.copy(shot, DOC_SHOT, StandardCopyOption.REPLACE_EXISTING);
      assertThat(node.output()).as("the log").doesNotContain(KEY).contains("started admin");
    }
  }
}
