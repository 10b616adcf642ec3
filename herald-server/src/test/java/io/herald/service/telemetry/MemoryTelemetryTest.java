package io.herald.service.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The telemetry contract on the in-memory store (REDIS_URL unset). */
class MemoryTelemetryTest extends TelemetryContract {
  @Override
  Optional<String> redisUrl() {
    return Optional.empty();
  }

  @Test
  void corsAllowsTheConfiguredOriginsOnly() throws Exception {
    var config = new TelemetryConfig(Optional.empty(), Tokens.SECRET.getBytes(StandardCharsets.UTF_8), 100, Duration.ofSeconds(5), "test",
        List.of("http://app.example"), Duration.ofHours(1), Optional.empty(), Duration.ofSeconds(30), 100, Duration.ofSeconds(15));
    TelemetryServer s = new TelemetryServer(config);
    toClose.add(s);
    HttpResponse<String> allowed = preflight(s.port, "http://app.example");
    assertThat(allowed.headers().firstValue("access-control-allow-origin")).contains("http://app.example");
    assertThat(allowed.headers().firstValue("access-control-allow-headers").orElse("").toLowerCase()).contains("authorization");
    assertThat(preflight(s.port, "http://evil.example").headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  private static HttpResponse<String> preflight(int port, String origin) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/polling/user/events"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
        .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization").build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
