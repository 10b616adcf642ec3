package io.herald.app;

import io.herald.testing.Ports;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real `herald` entry point in its own JVM: configuration errors, readiness, SIGTERM. */
class MainProcessTest {
  private static ProcessResult run(Map<String, String> env, String... args) throws Exception {
    Path log = Files.createTempFile("herald", ".log");
    ProcessBuilder pb = io.herald.testing.HeraldNode.process(env, args).redirectErrorStream(true).redirectOutput(log.toFile());
    return new ProcessResult(pb.start(), log);
  }

  record ProcessResult(Process process, Path log) {
    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    int exit() throws InterruptedException {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return process.exitValue();
    }
  }

  @Test
  void helpListsEveryService() throws Exception {
    ProcessResult r = run(Map.of(), "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.output()).contains("all", "push-hub", "report-listener", "telemetry", "websocket", "writer");
  }

  @Test
  void badConfigurationStopsStartUpNamingEveryBadVariable() throws Exception {
    ProcessResult r = run(Map.of("PORT", "99999", "LOG_FORMAT", "xml", "HERALD_WS_PONG_TIMEOUT", "soon", "HERALD_NOPE", "1",
        "HERALD_TRANSPORT", "dpdk"), "push-hub");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output()).contains("invalid configuration", "PORT=99999", "LOG_FORMAT=xml", "HERALD_WS_PONG_TIMEOUT=soon", "HERALD_NOPE: unknown variable",
        "HERALD_TRANSPORT=dpdk");
  }

  @Test
  void unknownServiceIsRefused() throws Exception {
    ProcessResult r = run(Map.of(), "pushhub");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output()).contains("unknown service 'pushhub'");
  }

  @Test
  void warmUpRunsBeforeReadyAndLeavesNoTraceOnTheRealService() throws Exception {
    int port = Ports.free();
    ProcessResult r = run(Map.of("PORT", String.valueOf(port), "HERALD_HOST", "127.0.0.1", "HERALD_WARMUP", "500ms"), "push-hub");
    await().atMost(Duration.ofSeconds(30)).until(() -> r.output().contains("ready on"));
    String out = r.output();
    assertThat(out).containsPattern("push-hub warm-up: [1-9][0-9]* publishes");
    assertThat(out.indexOf("push-hub warm-up:")).isLessThan(out.indexOf("ready on"));
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/health")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    assertThat(health).contains("\"lastSeq\":0", "\"connectedClients\":0");
    assertThat(metrics).contains("herald_events_published_total 0.0");
    r.process().destroy();
    assertThat(r.exit()).isZero();
  }

  @Test
  void startsThenStopsGracefullyOnSigtermWithExitZeroAndSecretsMasked() throws Exception {
    int port = Ports.free();
    ProcessResult r = run(Map.of("PORT", String.valueOf(port), "HERALD_API_KEY", "very-secret-key", "LOG_FORMAT", "json"), "all");
    await().atMost(Duration.ofSeconds(30)).until(() -> r.output().contains("ready on"));
    // Ready means serving: the services "all" starts without DB_HOST, JWT_SECRET or RABBITMQ_URL are up in /health.
    var health = io.herald.testing.Http.get(port, "/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(health.body()).contains("\"push-hub\":{\"status\":\"up\"", "\"websocket\":{\"status\":\"up\"");
    r.process().destroy();  // SIGTERM
    assertThat(r.exit()).isZero();
    String out = r.output();
    assertThat(out).contains("\"message\":\"stopped\"").doesNotContain("very-secret-key");
    assertThat(out.lines().filter(l -> !l.isBlank())).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
  }
}
