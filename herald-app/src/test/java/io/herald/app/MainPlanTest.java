package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What `herald all` says at start: each service started or skipped, and why. */
class MainPlanTest {
  private static List<String> lines(ServiceName name, Map<String, String> env) throws Exception {
    return Main.plan(name, AppConfig.from(Env.of(env), name)).stream()
        .map(c -> (c.service() == null ? "skipped " : "started ") + c.name() + ": " + c.why()).toList();
  }

  @Test
  void allWithNothingConfiguredRunsPushHubAndWebsocketAndSaysWhyTheOthersDoNot() throws Exception {
    assertThat(lines(ServiceName.ALL, Map.of())).containsExactly(
        "started push-hub: needs nothing external",
        "skipped report-listener: DB_HOST is not set (it tails a MariaDB table)",
        "skipped telemetry: JWT_SECRET is not set (it cannot check the tokens of its clients without it)",
        "skipped writer: RABBITMQ_URL is not set (it consumes RabbitMQ queues into MariaDB)",
        "started websocket: Socket.IO and HTTP broadcasts; no Kafka (KAFKA_BROKERS is not set)");
  }

  @Test
  void configuredDependenciesBringTheirServicesIn() throws Exception {
    List<String> l = lines(ServiceName.ALL, Map.of("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes!!", "KAFKA_BROKERS", "127.0.0.1:9"));
    assertThat(l).contains("started telemetry: JWT_SECRET is set", "started websocket: Socket.IO, HTTP broadcasts and Kafka at 127.0.0.1:9");
    assertThat(String.join("\n", l)).doesNotContain("a-secret-of");
    assertThat(lines(ServiceName.WEBSOCKET, Map.of("HERALD_KAFKA_ENABLED", "false")))
        .containsExactly("started websocket: Socket.IO and HTTP broadcasts; no Kafka (HERALD_KAFKA_ENABLED=false)");
  }

  @Test
  void theAdminKeyAddsTheOperatorsPageWhichNamesTheServicesAndNeverTheKey() throws Exception {
    String key = "an-admin-key-of-some-length";
    List<Main.Choice> plan = Main.plan(ServiceName.PUSH_HUB, AppConfig.from(Env.of(Map.of("HERALD_ADMIN_KEY", key)), ServiceName.PUSH_HUB));
    assertThat(plan).extracting(Main.Choice::name).containsExactly("push-hub", "admin");
    assertThat(plan.getLast().why()).isEqualTo("HERALD_ADMIN_KEY is set: the operator's page at /admin");
    assertThat(String.valueOf(plan.getLast().config())).doesNotContain(key).contains("***");
    assertThat(lines(ServiceName.PUSH_HUB, Map.of())).containsExactly("started push-hub: needs nothing external");
  }

  @Test
  void aShortAdminKeyStopsStartUp() {
    assertThatThrownBy(() -> AppConfig.from(Env.of(Map.of("HERALD_ADMIN_KEY", "short-key")), ServiceName.ALL))
        .hasMessageContaining("HERALD_ADMIN_KEY must be at least 16 characters").hasMessageNotContaining("short-key");
  }
}
