package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.testkit.Http;
import io.herald.testkit.WsClient;
import io.herald.transport.ws.WsConfig;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PushHubHttpTest extends ServerTestBase {
  private static PushHubConfig withKey(String key) {
    return new PushHubConfig(List.of("*"), Optional.ofNullable(key), WsConfig.DEFAULT);
  }

  @Test
  void broadcastIsAcceptedWith202AndReachesClients() {
    server = new TestServer(PushHubConfig.DEFAULT);
    WsClient c = WsClient.connect(vertx, server.port, "/ws");
    var r = Http.post(server.port, "/api/v1/broadcast", Http.alert("hello"));
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).isEqualTo("{\"status\":\"accepted\",\"type\":\"system_alert\",\"seq\":1}");
    assertThat(c.awaitType("system_alert").at("/data/message").asText()).isEqualTo("hello");
  }

  @Test
  void invalidBodiesGet400WithAJsonErrorNamingTheProblem() {
    server = new TestServer(PushHubConfig.DEFAULT);
    String[][] cases = {
      {"{oops", "invalid_json", "body is not valid JSON"},
      {"[]", "invalid_message", "body must be a JSON object"},
      {"{\"data\":{}}", "invalid_message", "field 'type' must be a string"},
      {"{\"type\":\"log_update\"}", "invalid_message", "field 'data' must be an object"},
      {
        "{\"type\":\"log_update\",\"data\":{}}",
        "invalid_message",
        "field 'data.log' must be an object"
      },
      {
        "{\"type\":\"system_alert\",\"data\":{\"alertType\":\"a\",\"message\":\"m\"}}",
        "invalid_message",
        "field 'data.severity' must be a string"
      },
      {
        "{\"type\":\"launch_rockets\",\"data\":{}}",
        "unknown_type",
        "field 'type' must be one of new_anomaly, log_update, stats_update, system_alert"
      },
    };
    for (String[] c : cases) {
      var r = Http.post(server.port, "/api/v1/broadcast", c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(r.headers().firstValue("content-type")).contains("application/json");
      assertThat(r.body())
          .as(c[0])
          .isEqualTo("{\"error\":\"" + c[1] + "\",\"message\":\"" + c[2].replace("'", "'") + "\"}");
    }
  }

  @Test
  void oversizedBodyGets413InJson() {
    server = new TestServer(PushHubConfig.DEFAULT); // the test server's body limit is 4096 bytes
    var r = Http.post(server.port, "/api/v1/broadcast", Http.alert("x".repeat(5000)));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("\"error\":\"payload_too_large\"");
  }

  @Test
  void withAnApiKeyBroadcastNeedsItAsBearerOrXApiKeyAndTheKeyNeverAppearsInErrors() {
    server = new TestServer(withKey("s3cret-key"));
    var none = Http.post(server.port, "/api/v1/broadcast", Http.alert("a"));
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("\"error\":\"unauthorized\"").doesNotContain("s3cret");
    assertThat(
            Http.post(
                    server.port,
                    "/api/v1/broadcast",
                    Http.alert("a"),
                    "Authorization",
                    "Bearer wrong")
                .statusCode())
        .isEqualTo(401);
    assertThat(
            Http.post(
                    server.port,
                    "/api/v1/broadcast",
                    Http.alert("a"),
                    "Authorization",
                    "Bearer s3cret-key")
                .statusCode())
        .isEqualTo(202);
    assertThat(
            Http.post(server.port, "/api/v1/broadcast", Http.alert("a"), "X-API-Key", "s3cret-key")
                .statusCode())
        .isEqualTo(202);
  }

  @Test
  void aRefusedOriginGets403BeforeTheUpgradeAndAnAllowedOneConnects() {
    server =
        new TestServer(
            new PushHubConfig(
                List.of("https://app.example.com"), Optional.empty(), WsConfig.DEFAULT));
    assertThat(Http.get(server.port, "/ws", "Origin", "https://evil.example.com").statusCode())
        .isEqualTo(403);
    WebSocketClient client = vertx.createWebSocketClient();
    assertThatThrownBy(() -> client.connect(options("https://evil.example.com")).await())
        .hasMessageContaining("403");
    assertThat(client.connect(options("https://app.example.com")).await().isClosed()).isFalse();
  }

  private WebSocketConnectOptions options(String origin) {
    return new WebSocketConnectOptions()
        .setHost("127.0.0.1")
        .setPort(server.port)
        .setURI("/ws")
        .addHeader("Origin", origin);
  }

  @Test
  void healthListsThePushHubAndMetricsAreInPrometheusFormat() {
    server = new TestServer(PushHubConfig.DEFAULT);
    WsClient.connect(vertx, server.port, "/ws").awaitType("connection_established");
    var h = Http.get(server.port, "/health");
    assertThat(h.statusCode()).isEqualTo(200);
    assertThat(h.body())
        .contains("\"status\":\"ok\"")
        .contains("\"push-hub\":{\"status\":\"up\"")
        .contains("\"connectedClients\":1");
    Http.post(server.port, "/api/v1/broadcast", Http.alert("m"));
    String m = Http.get(server.port, "/metrics").body();
    assertThat(m)
        .contains(
            "herald_connections 1.0",
            "herald_events_published_total 1.0",
            "herald_publish_to_write_seconds_bucket",
            "jvm_memory_used_bytes",
            "herald_messages_out_total 1.0");
  }

  @Test
  void unknownRoutesGet404InJson() {
    server = new TestServer(PushHubConfig.DEFAULT);
    var r = Http.get(server.port, "/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body())
        .isEqualTo("{\"error\":\"not_found\",\"message\":\"no route for GET /nope\"}");
  }

  @Test
  void servesTheExamplePageAndTheBrowserClient() {
    server = new TestServer(PushHubConfig.DEFAULT);
    assertThat(Http.get(server.port, "/").body()).contains("<title>Herald push hub</title>");
    var js = Http.get(server.port, "/herald-client.js");
    assertThat(js.headers().firstValue("content-type")).contains("text/javascript; charset=utf-8");
    assertThat(js.body()).contains("export function createRealtimeService");
  }
}
