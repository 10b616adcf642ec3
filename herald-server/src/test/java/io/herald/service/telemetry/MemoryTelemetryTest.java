package io.herald.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.config.Env;
import io.herald.protocol.json.Json;
import io.herald.store.EngineConfig;
import io.herald.store.Namespace;
import io.herald.testkit.Http;
import io.herald.testkit.NetworkNamespace;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The telemetry contract on the in-memory store (REDIS_URL unset). */
class MemoryTelemetryTest extends TelemetryContract {
  @Override
  Optional<String> engineUrl() {
    return Optional.empty();
  }

  @Test
  void corsAllowsTheConfiguredOriginsOnly() throws Exception {
    var config =
        new TelemetryConfig(
            Optional.empty(),
            Tokens.SECRET.getBytes(StandardCharsets.UTF_8),
            100,
            Duration.ofSeconds(5),
            "test",
            List.of("http://app.example"),
            Duration.ofHours(1),
            Optional.empty(),
            Duration.ofSeconds(30),
            100,
            Duration.ofSeconds(15),
            Namespace.DEFAULT,
            EngineConfig.MEMORY);
    TelemetryServer s = new TelemetryServer(config);
    toClose.add(s);
    HttpResponse<String> allowed = preflight(s.port, "http://app.example");
    assertThat(allowed.headers().firstValue("access-control-allow-origin"))
        .contains("http://app.example");
    assertThat(
            allowed.headers().firstValue("access-control-allow-headers").orElse("").toLowerCase())
        .contains("authorization");
    assertThat(
            preflight(s.port, "http://evil.example")
                .headers()
                .firstValue("access-control-allow-origin"))
        .isEmpty();
  }

  private static HttpResponse<String> preflight(int port, String origin) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/polling/user/events"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .header("Access-Control-Request-Headers", "authorization")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The remote client is a curl in a network namespace of the test's own, on a veth pair with
   * addresses the test assigns: a real non-loopback source address on every machine, where the test
   * always runs (it fails when CI=true and it cannot, see {@link NetworkNamespace}).
   */
  @Test
  void withoutAnInternalKeyPublishingIsForLoopbackClientsOnly() throws Exception {
    try (NetworkNamespace ns = NetworkNamespace.create()) {
      TelemetryServer s =
          new TelemetryServer(
              TelemetryServer.config(
                  Optional.empty(), Duration.ofSeconds(5), Duration.ofHours(1), Optional.empty()),
              "0.0.0.0");
      toClose.add(s);
      // curl writes the body, then the status on a line of its own.
      String out =
          ns.exec(
              "curl",
              "-sS",
              "-m",
              "10",
              "-w",
              "\n%{http_code}",
              "-H",
              "content-type: application/json",
              "--data",
              "{\"orderId\":\"1\"}",
              "http://" + ns.hostAddress + ":" + s.port + "/v1/internal/events/new-order");
      String body = out.substring(0, out.lastIndexOf('\n'));
      assertThat(out.substring(out.lastIndexOf('\n') + 1))
          .as("from %s: %s", ns.innerAddress, body)
          .isEqualTo("403");
      assertThat(Json.MAPPER.readTree(body).get("error").asText()).isEqualTo("forbidden");
      assertThat(
              Http.post(s.port, "/v1/internal/events/new-order", "{\"orderId\":\"1\"}")
                  .statusCode())
          .isEqualTo(202);
      // Through a local reverse proxy every client would look like loopback: a forwarded request is
      // never a direct
      // local client, whatever address its header names (loopback too) and whichever header it is.
      for (String[] header :
          List.of(
              new String[] {"X-Forwarded-For", "203.0.113.9"},
              new String[] {"X-Forwarded-For", "127.0.0.1"},
              new String[] {"X-Real-IP", "127.0.0.1"},
              new String[] {"Forwarded", "for=127.0.0.1"})) {
        assertThat(
                Http.post(s.port, "/v1/internal/events/new-order", "{\"orderId\":\"1\"}", header)
                    .statusCode())
            .as(header[0] + ": " + header[1])
            .isEqualTo(403);
      }
    }
  }

  @Test
  void aBase64SecretIsDecodedWhenAskedTo() {
    String b64 = Base64.getEncoder().encodeToString(Tokens.SECRET.getBytes(StandardCharsets.UTF_8));
    var env = Env.of(Map.of("JWT_SECRET", b64, "HERALD_JWT_SECRET_BASE64", "true"));
    TelemetryConfig config = TelemetryConfig.from(env);
    assertThat(config.jwtSecret()).isEqualTo(Tokens.SECRET.getBytes(StandardCharsets.UTF_8));
    TelemetryServer s = new TelemetryServer(config);
    toClose.add(s);
    assertThat(
            Http.get(s.port, "/v1/polling/user/events", Tokens.bearer(Tokens.user("b64")))
                .statusCode())
        .isEqualTo(200);
  }
}
