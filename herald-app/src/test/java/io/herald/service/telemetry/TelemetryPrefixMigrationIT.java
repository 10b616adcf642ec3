package io.herald.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The upgrade docs/cluster.md documents for a deployment that had set HERALD_ENGINE_PREFIX before
 * telemetry honoured it: its log was at {@code herald:telemetry:*}; two RENAMEs move it under the
 * prefix, and the history and the ids carry on.
 */
class TelemetryPrefixMigrationIT {
  static List<String> entities(HeraldNode node) throws Exception {
    HttpResponse<String> r =
        Http.get(
            node.port, "/v1/polling/admin/events?limit=100", Tokens.bearer(Tokens.admin("root")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode e : Json.MAPPER.readTree(r.body()).get("events"))
      out.add(e.get("entityId").asText());
    return out;
  }

  @Test
  void theDocumentedRenameCarriesTheLogAndItsIdsUnderThePrefix() throws Exception {
    try (RedisServer redis = new RedisServer().start()) {
      Map<String, String> before = Map.of("REDIS_URL", redis.url(), "JWT_SECRET", Tokens.SECRET);
      try (HeraldNode old =
          HeraldNode.start("telemetry", before)) { // the names every earlier version used
        TelemetryClusterContract.publish(old, 0);
        TelemetryClusterContract.publish(old, 1);
      }
      RedisClient rc = RedisClient.create(redis.url());
      try (var c = rc.connect()) {
        assertThat(c.sync().rename("herald:telemetry:{log}:m", "tenant-a:telemetry:{log}:m"))
            .isEqualTo("OK");
        assertThat(c.sync().rename("herald:telemetry:{log}:s", "tenant-a:telemetry:{log}:s"))
            .isEqualTo("OK");
      } finally {
        rc.shutdown();
      }
      Map<String, String> after =
          Map.of(
              "REDIS_URL",
              redis.url(),
              "JWT_SECRET",
              Tokens.SECRET,
              "HERALD_ENGINE_PREFIX",
              "tenant-a");
      try (HeraldNode upgraded = HeraldNode.start("telemetry", after)) {
        assertThat(entities(upgraded)).containsExactly("e0", "e1");
        TelemetryClusterContract.publish(upgraded, 2);
        assertThat(entities(upgraded))
            .as("the next id follows the moved ones")
            .containsExactly("e0", "e1", "e2");
      }
    }
  }
}
