package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.Ports;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real `herald` entry point in its own JVM: configuration errors, readiness, SIGTERM. */
class MainProcessTest {
  private static ProcessResult run(Map<String, String> env, String... args) throws Exception {
    return run(null, env, args);
  }

  /**
   * {@code args} in {@code dir} (where a .env file is read from), or the test's own working
   * directory when null.
   */
  private static ProcessResult run(Path dir, Map<String, String> env, String... args)
      throws Exception {
    Path log = Files.createTempFile("herald", ".log");
    ProcessBuilder pb =
        HeraldNode.process(env, args)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(dir == null ? null : dir.toFile());
    return new ProcessResult(pb.start(), log);
  }

  /**
   * A command that must start nothing: it exits 0 within seconds, with no process of its own left,
   * no stack trace, and without binding the port it was given.
   */
  private static String startsNothing(int port, String... args) throws Exception {
    ProcessResult r = run(Map.of("PORT", String.valueOf(port), "HERALD_HOST", "127.0.0.1"), args);
    List<ProcessHandle> children = new ArrayList<>();
    while (!r.process().waitFor(20, TimeUnit.MILLISECONDS)) {
      r.process().descendants().forEach(children::add);
      assertThat(bound(port)).as(String.join(" ", args) + " opened its port").isFalse();
    }
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.output()).isZero();
    assertThat(children).as("processes started by " + String.join(" ", args)).isEmpty();
    assertThat(r.output()).doesNotContain("Exception", "\tat ", "ready on");
    return r.output();
  }

  private static boolean bound(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
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
  void helpListsEveryServiceAndCommand() throws Exception {
    int port = Ports.free();
    for (String flag : List.of("--help", "-h")) {
      assertThat(startsNothing(port, flag))
          .contains(
              "Usage: herald",
              "all",
              "push-hub",
              "report-listener",
              "telemetry",
              "websocket",
              "writer",
              "sio-testserver",
              "config",
              "completion",
              "bench",
              "chaos",
              "--version");
    }
  }

  @Test
  void helpOfEveryServiceAndCommandStartsNothing() throws Exception {
    int port = Ports.free();
    for (ServiceName s : ServiceName.values()) {
      assertThat(startsNothing(port, s.cli, "--help"))
          .contains("Usage: herald " + s.cli, s.summary.substring(0, 20), "herald config " + s.cli);
    }
    assertThat(startsNothing(port, "config", "--help"))
        .contains("Usage: herald config", "SERVICE", "Starts nothing.");
    assertThat(startsNothing(port, "completion", "--help"))
        .contains("Usage: herald completion", "bash");
  }

  @Test
  void versionNamesTheProjectTheCommitAndTheJdk() throws Exception {
    assertThat(startsNothing(Ports.free(), "--version"))
        .containsPattern("herald \\d+\\.\\d+\\.\\d+ \\(commit ")
        .contains("JDK " + Runtime.version().feature());
  }

  @Test
  void aMistypedOptionOrServiceIsRefusedWithExitTwoAndTheNearestName() throws Exception {
    ProcessResult option = run(Map.of(), "--hepl");
    assertThat(option.exit()).isEqualTo(2);
    assertThat(option.output())
        .contains("herald: unknown option '--hepl'; did you mean --help?", "herald --help")
        .doesNotContain("\tat ");
    ProcessResult service = run(Map.of(), "push-hbu");
    assertThat(service.exit()).isEqualTo(2);
    assertThat(service.output())
        .contains("herald: unknown service 'push-hbu'; did you mean push-hub?");
    ProcessResult extra = run(Map.of(), "push-hub", "--prot", "9000");
    assertThat(extra.exit()).isEqualTo(2);
    assertThat(extra.output())
        .contains("herald push-hub: unknown option '--prot'")
        .doesNotContain("ready on");
    ProcessResult none = run(Map.of());
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.output()).contains("Usage: herald", "push-hub");
  }

  @Test
  void configShowsEveryVariableItsValueAndItsSourceWithSecretsMasked(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve(".env"), "LOG_LEVEL=debug\nPORT=1234\n");
    ProcessResult r =
        run(
            dir,
            Map.of(
                "PORT",
                "9000",
                "HERALD_API_KEY",
                "very-secret-key",
                "RABBITMQ_URL",
                "amqp://app:hunter2@mq:5672/",
                "HERALD_ADMIN_KEY",
                "very-secret-admin-key"),
            "config",
            "all");
    assertThat(r.exit()).isZero();
    String out = r.output();
    assertThat(out)
        .containsPattern("(?m)^VARIABLE +VALUE +SOURCE$")
        .containsPattern("(?m)^PORT +9000 +environment$")
        .containsPattern("(?m)^LOG_LEVEL +debug +\\.env$")
        .containsPattern("(?m)^HERALD_HOST +0\\.0\\.0\\.0 +default$")
        .containsPattern("(?m)^HERALD_SHUTDOWN_TIMEOUT +10s +default$")
        .containsPattern("(?m)^HERALD_MAX_BODY +64KiB +default$")
        .containsPattern("(?m)^HERALD_API_KEY +\\*\\*\\* +environment$")
        .containsPattern("(?m)^HERALD_ADMIN_KEY +\\*\\*\\* +environment$")
        .containsPattern("(?m)^RABBITMQ_URL +amqp://app:\\*\\*\\*@mq:5672/ +environment$")
        .containsPattern("(?m)^JWT_SECRET +\\(unset\\) +default$")
        .contains(
            "At start it logs:",
            "started push-hub: needs nothing external",
            "push-hub config: PushHubConfig[")
        .contains("started admin: HERALD_ADMIN_KEY is set")
        .doesNotContain("very-secret-key", "very-secret-admin-key", "hunter2", "ready on", "\tat ");
  }

  @Test
  void configOfOneServiceShowsItsOwnAndTheSharedVariablesOnly() throws Exception {
    ProcessResult r =
        run(Map.of("JWT_SECRET", "a-secret-of-at-least-thirty-two-bytes!!"), "config", "push-hub");
    assertThat(r.exit()).isZero();
    assertThat(r.output())
        .containsPattern("(?m)^HERALD_API_KEY +\\(unset\\) +default$")
        .containsPattern("(?m)^PORT +8080 +default$")
        .containsPattern("(?m)^REDIS_URL +redis://127\\.0\\.0\\.1:6379 +default$")
        .doesNotContainPattern("(?m)^(JWT_SECRET|DB_HOST|RABBITMQ_URL|KAFKA_BROKERS) ")
        .contains(
            "variables of the other services are checked at start too but not shown",
            "push-hub config: PushHubConfig[");
  }

  @Test
  void configOfABadConfigurationShowsTheTableAndNamesTheProblem() throws Exception {
    ProcessResult r = run(Map.of("PORT", "99999", "HERALD_NOPE", "1"), "config", "push-hub");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output())
        .containsPattern("(?m)^PORT +99999 +environment$")
        .contains("invalid configuration", "PORT=99999", "HERALD_NOPE: unknown variable");
    ProcessResult typo = run(Map.of(), "config", "pushhub");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.output()).contains("unknown service 'pushhub' (did you mean push-hub?)");
  }

  @Test
  void completionForBashKnowsEveryServiceAndCommand() throws Exception {
    String script = startsNothing(Ports.free(), "completion", "bash");
    assertThat(script)
        .contains(
            "complete -F", "push-hub", "sio-testserver", "config", "bench", "chaos", "--version");
    ProcessResult zsh = run(Map.of(), "completion", "zsh");
    assertThat(zsh.exit()).isEqualTo(2);
    assertThat(zsh.output()).contains("unknown shell 'zsh'; known: bash");
  }

  @Test
  void benchAndChaosThroughTheJarPointAtTheLauncher() throws Exception {
    ProcessResult r = run(Map.of(), "chaos", "--faults", "soak");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output().strip())
        .startsWith("herald chaos: the fault scripts")
        .endsWith("./herald chaos --help");
  }

  @Test
  void badConfigurationStopsStartUpNamingEveryBadVariable() throws Exception {
    ProcessResult r =
        run(
            Map.of(
                "PORT",
                "99999",
                "LOG_FORMAT",
                "xml",
                "HERALD_WS_PONG_TIMEOUT",
                "soon",
                "HERALD_NOPE",
                "1",
                "HERALD_TRANSPORT",
                "dpdk"),
            "push-hub");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output())
        .contains(
            "invalid configuration",
            "PORT=99999",
            "LOG_FORMAT=xml",
            "HERALD_WS_PONG_TIMEOUT=soon",
            "HERALD_NOPE: unknown variable",
            "HERALD_TRANSPORT=dpdk");
  }

  @Test
  void unknownServiceIsRefused() throws Exception {
    ProcessResult r = run(Map.of(), "pushhub");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output())
        .contains("herald: unknown service 'pushhub'; did you mean push-hub?")
        .doesNotContain("\tat ");
  }

  @Test
  void warmUpRunsBeforeReadyAndLeavesNoTraceOnTheRealService() throws Exception {
    int port = Ports.free();
    ProcessResult r =
        run(
            Map.of(
                "PORT", String.valueOf(port), "HERALD_HOST", "127.0.0.1", "HERALD_WARMUP", "500ms"),
            "push-hub");
    await().atMost(Duration.ofSeconds(30)).until(() -> r.output().contains("ready on"));
    String out = r.output();
    assertThat(out).containsPattern("push-hub warm-up: [1-9][0-9]* publishes");
    assertThat(out.indexOf("push-hub warm-up:")).isLessThan(out.indexOf("ready on"));
    HttpClient http = HttpClient.newHttpClient();
    String health =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(health).contains("\"lastSeq\":0", "\"connectedClients\":0");
    assertThat(metrics).contains("herald_events_published_total 0.0");
    r.process().destroy();
    assertThat(r.exit()).isZero();
  }

  @Test
  void startsThenStopsGracefullyOnSigtermWithExitZeroAndSecretsMasked() throws Exception {
    int port = Ports.free();
    ProcessResult r =
        run(
            Map.of(
                "PORT",
                String.valueOf(port),
                "HERALD_API_KEY",
                "very-secret-key",
                "LOG_FORMAT",
                "json"),
            "all");
    await().atMost(Duration.ofSeconds(30)).until(() -> r.output().contains("ready on"));
    // Ready means serving: the services "all" starts without DB_HOST, JWT_SECRET or RABBITMQ_URL
    // are up in /health.
    var health = Http.get(port, "/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(health.body())
        .contains("\"push-hub\":{\"status\":\"up\"", "\"websocket\":{\"status\":\"up\"");
    r.process().destroy(); // SIGTERM
    assertThat(r.exit()).isZero();
    String out = r.output();
    assertThat(out).contains("\"message\":\"stopped\"").doesNotContain("very-secret-key");
    assertThat(out.lines().filter(l -> !l.isBlank()))
        .allMatch(l -> l.startsWith("{") && l.endsWith("}"));
  }
}
