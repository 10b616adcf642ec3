package io.herald.transport.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.transport.health.Health;
import io.herald.transport.health.HealthStatus;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What GET /health says about a service through its lifecycle. */
class ServiceStateTest {
  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final Health health = new Health(now::get);
  private final ServerContext context =
      new ServerContext(
          null,
          null,
          null,
          null,
          health,
          (InstantSource) now::get,
          null,
          null,
          Optional.empty(),
          null,
          null);

  @Test
  void aServiceIsDownUntilStartedUpWhileRunningAndDownOnceStopped() {
    ServiceState state =
        ServiceState.mount("push-hub", context, () -> Map.of("connectedClients", 3));
    assertThat(health.report().status()).isEqualTo(503);
    assertThat(health.report().body())
        .contains("\"push-hub\":{\"status\":\"down\",\"error\":\"starting\"}");

    state.started();
    now.set(now.get().plusSeconds(42));
    assertThat(state.running()).isTrue();
    assertThat(state.uptimeSeconds()).isEqualTo(42);
    assertThat(health.report().status()).isEqualTo(200);
    assertThat(health.report().body())
        .contains("\"push-hub\":{\"status\":\"up\",\"connectedClients\":3}");

    state.stopped();
    assertThat(state.running()).isFalse();
    assertThat(health.report().status()).isEqualTo(503);
    assertThat(health.report().body())
        .contains("\"push-hub\":{\"status\":\"down\",\"error\":\"stopped\"}");
  }

  @Test
  void aDependencyIsItsOwnEntryAndADownOneMakesTheNodeDegraded() {
    AtomicReference<HealthStatus> db = new AtomicReference<>(HealthStatus.up(Map.of()));
    ServiceState state =
        ServiceState.mount("writer", context, Map::of).dependsOn("mariadb", db::get);
    state.started();
    assertThat(health.report().status()).isEqualTo(200);
    assertThat(health.report().body())
        .contains("\"dependencies\":{\"mariadb\":{\"status\":\"up\"}}");

    db.set(HealthStatus.down("unreachable"));
    assertThat(health.report().status()).isEqualTo(503);
    assertThat(health.report().body())
        .contains("\"mariadb\":{\"status\":\"down\",\"error\":\"unreachable\"}");
  }
}
