package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.Env;
import io.herald.store.EngineKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What `herald all` says at start: each service started or skipped, and why. */
class MainPlanTest {
  private static List<String> lines(ServiceName name, Map<String, String> env) throws Exception {
    return Main.plan(name, AppConfig.from(Env.of(env), name)).stream()
        .map(c -> (c.service() == null ? "skipped " : "started ") + c.name() + ": " + c.why())
        .toList();
  }

  @Test
  void allWithNothingConfiguredRunsPushHubAndWebsocketAndSaysWhyTheOthersDoNot() throws Exception {
    assertThat(lines(ServiceName.ALL, Map.of()))
        .containsExactly(
            "started push-hub: needs nothing external",
            "skipped report-listener: DB_HOST is not set (it tails a MariaDB table)",
            "skipped telemetry: JWT_SECRET is not set (it cannot check the tokens of its clients without it)",
            "skipped writer: RABBITMQ_URL is not set (it consumes RabbitMQ queues into MariaDB)",
            "started websocket: Socket.IO and HTTP broadcasts; no Kafka (KAFKA_BROKERS is not set);"
                + " broadcasts reach this node's sockets only (HERALD_ENGINE=redis shares them)");
  }

  @Test
  void redisUrlAlonePutsTheWebsocketServiceOnTheRedisEngineAndNothingElse() throws Exception {
    Map<String, String> redis = Map.of("REDIS_URL", "redis://10.0.0.7:6379");
    // The seed's REDIS_URL: several websocket instances share broadcasts, now through the Redis
    // engine.
    assertThat(AppConfig.from(Env.of(redis), ServiceName.WEBSOCKET).engine().kind())
        .isEqualTo(EngineKind.REDIS);
    assertThat(AppConfig.from(Env.of(redis), ServiceName.WEBSOCKET).engine().redisUrl())
        .isEqualTo("redis://10.0.0.7:6379");
    assertThat(
            AppConfig.from(
                    Env.of(Map.of("REDIS_URL", "redis://10.0.0.7:6379", "HERALD_ENGINE", "memory")),
                    ServiceName.WEBSOCKET)
                .engine()
                .kind())
        .as("an explicit HERALD_ENGINE wins")
        .isEqualTo(EngineKind.MEMORY);
    assertThat(AppConfig.from(Env.of(Map.of()), ServiceName.WEBSOCKET).engine().kind())
        .isEqualTo(EngineKind.MEMORY);
    // Elsewhere REDIS_URL is a store (telemetry's log, writer's counters), not the engine of every
    // service.
    assertThat(AppConfig.from(Env.of(redis), ServiceName.ALL).engine().kind())
        .isEqualTo(EngineKind.MEMORY);
    assertThat(AppConfig.from(Env.of(redis), ServiceName.PUSH_HUB).engine().kind())
        .isEqualTo(EngineKind.MEMORY);
    assertThatThrownBy(
            () ->
                AppConfig.from(
                    Env.of(
                        Map.of(
                            "REDIS_URL", "redis://10.0.0.7:6379", "HERALD_HISTORY_DIR", "/tmp/h")),
                    ServiceName.WEBSOCKET))
        .hasMessageContaining("HERALD_HISTORY_DIR is the single-node journal; with REDIS_URL")
        .hasMessageContaining("HERALD_ENGINE=memory");
  }

  @Test
  void configuredDependenciesBringTheirServicesIn() throws Exception {
    List<String> l =
        lines(
            ServiceName.ALL,
            Map.of(
                "JWT_SECRET",
                "a-secret-of-at-least-thirty-two-bytes!!",
                "KAFKA_BROKERS",
                "127.0.0.1:9"));
    assertThat(l)
        .contains(
            "started telemetry: JWT_SECRET is set",
            "started websocket: Socket.IO, HTTP broadcasts and Kafka at 127.0.0.1:9;"
                + " broadcasts reach this node's sockets only (HERALD_ENGINE=redis shares them)");
    assertThat(String.join("\n", l)).doesNotContain("a-secret-of");
    assertThat(lines(ServiceName.WEBSOCKET, Map.of("HERALD_KAFKA_ENABLED", "false")))
        .containsExactly(
            "started websocket: Socket.IO and HTTP broadcasts; no Kafka (HERALD_KAFKA_ENABLED=false)");
  }

  @Test
  void theAdminKeyAddsTheOperatorsPageWhichNamesTheServicesAndNeverTheKey() throws Exception {
    String key = "an-admin-key-of-some-length";
    List<Main.Choice> plan =
        Main.plan(
            ServiceName.PUSH_HUB,
            AppConfig.from(Env.of(Map.of("HERALD_ADMIN_KEY", key)), ServiceName.PUSH_HUB));
    assertThat(plan).extracting(Main.Choice::name).containsExactly("push-hub", "admin");
    assertThat(plan.getLast().why())
        .isEqualTo("HERALD_ADMIN_KEY is set: the operator's page at /admin");
    assertThat(String.valueOf(plan.getLast().config())).doesNotContain(key).contains("***");
    assertThat(lines(ServiceName.PUSH_HUB, Map.of()))
        .containsExactly("started push-hub: needs nothing external");
  }

  @Test
  void aShortAdminKeyStopsStartUp() {
    assertThatThrownBy(
            () -> AppConfig.from(Env.of(Map.of("HERALD_ADMIN_KEY", "short-key")), ServiceName.ALL))
        .hasMessageContaining("HERALD_ADMIN_KEY must be at least 16 characters")
        .hasMessageNotContaining("short-key");
  }
}
