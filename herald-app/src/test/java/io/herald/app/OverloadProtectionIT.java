package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import io.herald.testkit.HeraldNode;
import io.herald.testkit.Http;
import io.herald.testkit.Jwts;
import io.herald.testkit.Ports;
import io.herald.testkit.RawWsClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * HERALD_MAX_CONNECTIONS on a real {@code herald all} process: at the budget every kind of new
 * long-lived stream is refused fast (telemetry's long poll and SSE, Engine.IO handshakes on polling
 * and WebSocket, push-hub's upgrade), while health, metrics, the operator's page, short polls and
 * every publish API keep answering; a budget the open-file limit cannot hold stops start-up with
 * the reason.
 */
class OverloadProtectionIT {
  private static final String SECRET = "overload-test-secret-of-at-least-thirty-two-bytes";
  private static final String ADMIN_KEY = "overload-test-admin-key";

  /**
   * One request on a connection of its own, closed after the answer (a pooled client would hold one
   * open).
   */
  static String raw(int port, String method, String path, String body, String... headers)
      throws IOException {
    return rawFrom("127.0.0.1", port, method, path, body, headers);
  }

  /**
   * As {@link #raw}, from the loopback address {@code local} (127.0.0.2 is another client to the
   * server).
   */
  static String rawFrom(
      String local, int port, String method, String path, String body, String... headers)
      throws IOException {
    try (Socket s = new Socket("127.0.0.1", port, InetAddress.getByName(local), 0)) {
      s.setSoTimeout(15_000);
      StringBuilder h =
          new StringBuilder(
              method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
      for (int i = 0; i + 1 < headers.length; i += 2)
        h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      h.append("Content-Type: application/json\r\nContent-Length: ")
          .append(b.length)
          .append("\r\n\r\n");
      s.getOutputStream().write(h.toString().getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(b);
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A WebSocket upgrade of {@code path} on a connection of its own: the answer's head and body. */
  static String upgrade(int port, String path) throws IOException {
    return raw(
        port,
        "GET",
        path,
        "",
        "Upgrade",
        "websocket",
        "Connection",
        "Upgrade",
        "Sec-WebSocket-Key",
        "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version",
        "13");
  }

  static double tcpConnections(int port) throws IOException {
    for (String l : raw(port, "GET", "/metrics", "").split("\n")) {
      if (l.startsWith("herald_tcp_connections "))
        return Double.parseDouble(l.substring(l.indexOf(' ') + 1));
    }
    return -1;
  }

  static String user() {
    JWTClaimsSet c =
        new JWTClaimsSet.Builder()
            .subject("alice")
            .claim("roles", List.of("USER"))
            .expirationTime(Date.from(Instant.now().plusSeconds(600)))
            .build();
    return "Bearer " + Jwts.sign("HS256", SECRET, c.toJSONObject());
  }

  @Test
  void atTheBudgetNewStreamsOfEveryServiceAreRefusedFastAndTheControlPlaneAnswers()
      throws Exception {
    try (HeraldNode node =
        HeraldNode.start(
            "all",
            Map.of(
                "HERALD_MAX_CONNECTIONS",
                "3",
                "HERALD_HEADER_TIMEOUT",
                "60s",
                "JWT_SECRET",
                SECRET,
                "HERALD_KAFKA_ENABLED",
                "false",
                "LONG_POLL_TIMEOUT_MS",
                "500",
                "HERALD_ADMIN_KEY",
                ADMIN_KEY))) {
      assertThat(node.output())
          .contains(
              "connections: new long-lived streams refused past 3 open connections (HERALD_MAX_CONNECTIONS");
      int port = node.port;
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++)
          idle.add(new Socket("127.0.0.1", port)); // three connections that hold the budget
        // (the start-up's health checks may still hold a keep-alive connection: at least the three
        // and this scrape)
        await().atMost(Duration.ofSeconds(10)).until(() -> tcpConnections(port) >= 4);
        String token = user();
        long start = System.nanoTime();
        assertThat(
                raw(
                    port,
                    "GET",
                    "/v1/polling/user/events?longPoll=true",
                    "",
                    "Authorization",
                    token))
            .as("long poll")
            .startsWith("HTTP/1.1 503")
            .containsIgnoringCase("retry-after: 5")
            .contains("HERALD_MAX_CONNECTIONS");
        assertThat(raw(port, "GET", "/v1/stream/user/events", "", "Authorization", token))
            .as("SSE")
            .startsWith("HTTP/1.1 503");
        assertThat(raw(port, "GET", "/socket.io/?EIO=4&transport=polling", ""))
            .as("Engine.IO polling handshake")
            .startsWith("HTTP/1.1 503");
        assertThat(upgrade(port, "/socket.io/?EIO=4&transport=websocket"))
            .as("Engine.IO WebSocket")
            .startsWith("HTTP/1.1 503");
        assertThat(upgrade(port, "/ws")).as("push-hub").startsWith("HTTP/1.1 503");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
            .as("five refusals, none waiting")
            .isLessThan(5_000);
        // The control plane and every publish path answer from the reserve.
        assertThat(raw(port, "GET", "/health", "")).startsWith("HTTP/1.1 200");
        assertThat(raw(port, "GET", "/admin", ""))
            .as("the operator's page")
            .startsWith("HTTP/1.1 200");
        assertThat(raw(port, "GET", "/admin/api/stats", "", "Authorization", "Bearer " + ADMIN_KEY))
            .as("its API")
            .startsWith("HTTP/1.1 200")
            .contains("\"transport\":\"sse\"");
        assertThat(raw(port, "GET", "/v1/polling/user/events", "", "Authorization", token))
            .as("a short poll")
            .startsWith("HTTP/1.1 200");
        assertThat(raw(port, "POST", "/api/v1/broadcast", Http.alert("flood")))
            .startsWith("HTTP/1.1 202");
        assertThat(
                raw(
                    port,
                    "POST",
                    "/v1/internal/events/publish",
                    "{\"eventType\":\"T\",\"userId\":\"alice\"}"))
            .startsWith("HTTP/1.1 202");
        assertThat(
                raw(
                    port,
                    "POST",
                    "/api/broadcast/room",
                    "{\"room\":\"global\",\"event\":\"news\",\"data\":{}}"))
            .startsWith("HTTP/1.1 200");
        assertThat(raw(port, "GET", "/metrics", ""))
            .contains("herald_connections_refused_total{reason=\"budget\"} 5.0");
      } finally {
        for (Socket s : idle) s.close();
      }
      // Below the budget again: a long poll is admitted (and answered when its 500 ms pass).
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  raw(
                          port,
                          "GET",
                          "/v1/polling/user/events?longPoll=true&lastEventId=$",
                          "",
                          "Authorization",
                          user())
                      .startsWith("HTTP/1.1 200"));
    }
  }

  @Test
  void outOfFileDescriptorsTheLogGetsACountNotAStackTracePerAccept() throws Exception {
    // A limit far below the reserve Herald keeps for itself: accept(2) itself fails, which the
    // budget cannot prevent.
    int port = Ports.free();
    ProcessBuilder pb =
        HeraldNode.process(
            Map.of("PORT", Integer.toString(port), "HERALD_HOST", "127.0.0.1"), "push-hub");
    List<String> cmd = new ArrayList<>(pb.command());
    cmd.add(1, "-XX:-MaxFDLimit"); // keep the soft limit the shell sets
    String line =
        String.join(" ", cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
    pb.command("bash", "-c", "ulimit -n 400 && exec " + line);
    Path log = Files.createTempFile("herald-emfile", ".log");
    Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> raw(port, "GET", "/health", "").startsWith("HTTP/1.1 200"));
      // How many descriptors the node holds at rest depends on its classpath (each jar stays open):
      // the limit goes down to that plus 100 once it runs, below the 144 connections the budget
      // (sized from the limit at start-up) admits, so the flood below exhausts it whatever the
      // classpath. Not much lower: the flood's backlog drains by that many per accept retry.
      long open;
      try (var fds = Files.list(Path.of("/proc/" + p.pid() + "/fd"))) {
        open = fds.count();
      }
      String limit = Long.toString(open + 100);
      Process prlimit =
          new ProcessBuilder(
                  "prlimit", "--pid", Long.toString(p.pid()), "--nofile=" + limit + ":" + limit)
              .inheritIO()
              .start();
      assertThat(prlimit.waitFor()).as("prlimit").isZero();
      List<Socket> flood = new ArrayList<>();
      try {
        for (int i = 0; i < 600; i++)
          flood.add(new Socket("127.0.0.1", port)); // the kernel's backlog takes them all
        Thread.sleep(2_500); // Netty retries the accept once a second: let it fail a few times
      } finally {
        for (Socket s : flood) s.close();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(
              () ->
                  raw(port, "GET", "/metrics", "")
                      .matches(
                          "(?s).*herald_connections_refused_total\\{reason=\"accept_error\"} [1-9][0-9]*\\.0.*"));
      String out = Files.readString(log);
      assertThat(out).contains("accept failed").contains("too many open files");
      assertThat(out)
          .as("no stack trace per failed accept")
          .doesNotContain("NativeIoException")
          .doesNotContain("exceptionCaught");
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBudgetTheOpenFileLimitCannotHoldStopsStartUpWithTheReason() throws Exception {
    Process p =
        HeraldNode.process(Map.of("HERALD_MAX_CONNECTIONS", "2000000000"), "push-hub")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .contains("HERALD_MAX_CONNECTIONS=2000000000")
        .contains("open-file limit")
        .doesNotContain("Exception");
  }

  @Test
  void oneAddressGetsItsShareOfEveryKindOfStreamAndAnotherAddressStillGetsIn() throws Exception {
    try (HeraldNode node =
            HeraldNode.start(
                "all",
                Map.of(
                    "HERALD_MAX_CONNECTIONS_PER_ADDRESS",
                    "1",
                    "JWT_SECRET",
                    SECRET,
                    "HERALD_KAFKA_ENABLED",
                    "false",
                    "LONG_POLL_TIMEOUT_MS",
                    "500"));
        var held = new RawWsClient(node.port, "/ws")) { // 127.0.0.1's one stream, held open
      int port = node.port;
      String token = user();
      String ws = "dGhlIHNhbXBsZSBub25jZQ==";
      String[][] streams = {
        {
          "long poll", "/v1/polling/user/events?longPoll=true&lastEventId=$", "Authorization", token
        },
        {"SSE", "/v1/stream/user/events", "Authorization", token},
        {"Engine.IO polling handshake", "/socket.io/?EIO=4&transport=polling"},
        {
          "Engine.IO WebSocket",
          "/socket.io/?EIO=4&transport=websocket",
          "Upgrade",
          "websocket",
          "Connection",
          "Upgrade",
          "Sec-WebSocket-Key",
          ws,
          "Sec-WebSocket-Version",
          "13"
        },
        {
          "push-hub",
          "/ws",
          "Upgrade",
          "websocket",
          "Connection",
          "Upgrade",
          "Sec-WebSocket-Key",
          ws,
          "Sec-WebSocket-Version",
          "13"
        }
      };
      for (String[] st : streams) {
        String[] headers = Arrays.copyOfRange(st, 2, st.length);
        assertThat(raw(port, "GET", st[1], "", headers))
            .as(st[0] + " from the address at its share")
            .startsWith("HTTP/1.1 429")
            .containsIgnoringCase("retry-after: 5")
            .contains("HERALD_MAX_CONNECTIONS_PER_ADDRESS");
      }
      // Short requests are not streams: the same address still publishes and checks health.
      assertThat(raw(port, "GET", "/health", "")).startsWith("HTTP/1.1 200");
      assertThat(raw(port, "POST", "/api/v1/broadcast", Http.alert("share")))
          .startsWith("HTTP/1.1 202");
      // Another address is not held back by the first one's share.
      assertThat(
              rawFrom(
                  "127.0.0.2",
                  port,
                  "GET",
                  "/v1/polling/user/events?longPoll=true&lastEventId=$",
                  "",
                  "Authorization",
                  token))
          .as("a long poll from 127.0.0.2")
          .startsWith("HTTP/1.1 200");
      assertThat(rawFrom("127.0.0.2", port, "GET", "/socket.io/?EIO=4&transport=polling", ""))
          .as("a handshake from 127.0.0.2")
          .startsWith("HTTP/1.1 200")
          .contains("\"sid\"");
      assertThat(raw(port, "GET", "/metrics", ""))
          .contains("herald_connections_refused_total{reason=\"per_address\"} 5.0");
    }
  }

  @Test
  void theControlPortServesHealthAndMetricsOnlyAndIsNotCountedInTheBudget() throws Exception {
    int control = Ports.free();
    try (HeraldNode node =
        HeraldNode.start(
            "push-hub",
            Map.of(
                "HERALD_MAX_CONNECTIONS",
                "2",
                "HERALD_HEADER_TIMEOUT",
                "60s",
                "HERALD_CONTROL_PORT",
                Integer.toString(control)))) {
      assertThat(node.output()).contains("control port " + control + ": /health and /metrics");
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++)
          idle.add(new Socket("127.0.0.1", node.port)); // the main port's budget taken
        await().atMost(Duration.ofSeconds(10)).until(() -> tcpConnections(control) >= 3);
        assertThat(upgrade(node.port, "/ws"))
            .as("the main port refuses streams")
            .startsWith("HTTP/1.1 503");
        for (int i = 0; i < 20; i++)
          idle.add(
              new Socket(
                  "127.0.0.1", control)); // the control port's own connections are not counted
        assertThat(raw(control, "GET", "/health", ""))
            .startsWith("HTTP/1.1 200")
            .contains("\"push-hub\"");
        assertThat(raw(control, "GET", "/metrics", ""))
            .startsWith("HTTP/1.1 200")
            .contains("herald_connections_refused_total{reason=\"budget\"} 1.0");
        assertThat(raw(control, "POST", "/api/v1/broadcast", Http.alert("not here")))
            .as("no publishing on it")
            .startsWith("HTTP/1.1 404");
        assertThat(upgrade(control, "/ws")).as("no streams on it").startsWith("HTTP/1.1 404");
      } finally {
        for (Socket s : idle) s.close();
      }
    }
  }
}
