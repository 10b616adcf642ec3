package io.herald.transport.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.json.Json;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthTest {
  @Test
  void aDependencySharedByTwoServicesIsDownWhenEitherFindsItDown() throws Exception {
    Health h = new Health(InstantSource.system());
    h.register(HealthCheck.of("mariadb", "dependency", () -> HealthStatus.up(Map.of())));
    h.register(
        HealthCheck.of("mariadb", "dependency", () -> HealthStatus.down("connection refused")));
    Health.Report r = h.report();
    assertThat(r.status()).isEqualTo(503);
    var mariadb = Json.MAPPER.readTree(r.body()).at("/dependencies/mariadb");
    assertThat(mariadb.get("status").asText()).isEqualTo("down");
    assertThat(mariadb.get("error").asText()).isEqualTo("connection refused");
  }

  @Test
  void allUpIs200() throws Exception {
    Health h = new Health(InstantSource.system());
    h.register(
        HealthCheck.of(
            "push-hub", "service", () -> HealthStatus.up(Map.of("connectedClients", 3))));
    h.register(HealthCheck.of("redis", "dependency", () -> HealthStatus.up(Map.of())));
    Health.Report r = h.report();
    assertThat(r.status()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(r.body()).at("/services/push-hub/connectedClients").asInt())
        .isEqualTo(3);
  }
}
