package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testkit.Http;
import io.herald.testkit.WsClient;
import io.herald.transport.http.TrustedProxies;
import io.herald.transport.server.AdmissionConfig;
import io.herald.transport.server.NetTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Overload protection on push-hub, on every transport HERALD_TRANSPORT can name: the connection
 * budget refuses new WebSocket upgrades fast while health, metrics and broadcasts keep working; the
 * per-address limit counts the forwarded address behind a trusted proxy; the handshake rate spreads
 * a burst out or refuses what would wait too long; at the hard cap a connection is closed at its
 * accept.
 */
class PushHubAdmissionTest extends ServerTestBase {
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void closeSockets() throws IOException {
    for (Socket s : sockets) s.close();
  }

  /**
   * An upgrade on a raw socket (kept open when it succeeds); returns the response's status line and
   * headers.
   */
  private String upgrade(int port, String forwardedFor) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    sockets.add(s);
    s.setSoTimeout(10_000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n")
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    for (int c; (c = in.read()) != -1; ) {
      head.append((char) c);
      if (head.toString().endsWith("\r\n\r\n")) break;
    }
    return head.toString();
  }

  /**
   * One request on a connection of its own, closed after the answer: unlike a pooled HTTP client it
   * leaves no idle connection behind to be counted.
   */
  private String raw(String method, String path, String body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port)) {
      s.setSoTimeout(10_000);
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      s.getOutputStream()
          .write(
              (method
                      + " "
                      + path
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
                      + "Content-Length: "
                      + b.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(b);
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private String metrics() throws IOException {
    return raw("GET", "/metrics", "");
  }

  @ParameterizedTest
  @EnumSource(
      value = NetTransport.class,
      names = {"IO_URING", "EPOLL", "NIO"})
  void pastTheBudgetUpgradesAreRefusedFastWhileHealthMetricsAndBroadcastsWork(
      NetTransport transport) throws Exception {
    server =
        new TestServer(
            PushHubConfig.DEFAULT,
            transport,
            AdmissionConfig.DEFAULT.withMaxConnections(4),
            TrustedProxies.NONE);
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) clients.add(WsClient.connect(vertx, server.port, "/ws"));
    long start = System.nanoTime();
    String refused = upgrade(server.port, null);
    assertThat(refused).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 5");
    assertThat((System.nanoTime() - start) / 1_000_000)
        .as("refused at once, not after a timeout")
        .isLessThan(5_000);
    assertThat(raw("GET", "/health", "")).startsWith("HTTP/1.1 200");
    assertThat(raw("POST", "/api/v1/broadcast", Http.alert("still here")))
        .startsWith("HTTP/1.1 202");
    for (WsClient c : clients)
      await().atMost(Duration.ofSeconds(10)).until(() -> c.seqs().size() == 1);
    assertThat(metrics())
        .contains("herald_connections_refused_total{reason=\"budget\"} 1.0")
        .contains("herald_tcp_connections 5.0"); // the four clients and this scrape
    // The count follows upgraded sockets when they close, so a client that leaves makes room.
    clients.getFirst().ws.close().await();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> metrics().contains("herald_tcp_connections 4.0"));
    assertThat(upgrade(server.port, null)).startsWith("HTTP/1.1 101");
  }

  @ParameterizedTest
  @EnumSource(
      value = NetTransport.class,
      names = {"IO_URING", "EPOLL", "NIO"})
  void oneAddressCannotTakeMoreThanItsShareAndBehindATrustedProxyTheClientsAddressCounts(
      NetTransport transport) throws Exception {
    server =
        new TestServer(
            PushHubConfig.DEFAULT,
            transport,
            AdmissionConfig.DEFAULT.withLimits(2, 0, Duration.ofSeconds(2)),
            TrustedProxies.of(List.of("127.0.0.1")));
    assertThat(upgrade(server.port, "203.0.113.7")).startsWith("HTTP/1.1 101");
    assertThat(upgrade(server.port, "203.0.113.7")).startsWith("HTTP/1.1 101");
    assertThat(upgrade(server.port, "203.0.113.7"))
        .startsWith("HTTP/1.1 429")
        .containsIgnoringCase("retry-after:");
    assertThat(upgrade(server.port, "203.0.113.8"))
        .as("another client behind the same proxy")
        .startsWith("HTTP/1.1 101");
    assertThat(metrics()).contains("herald_connections_refused_total{reason=\"per_address\"} 1.0");
    sockets.getFirst().close(); // one of the first address's connections ends: it may connect again
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> upgrade(server.port, "203.0.113.7").startsWith("HTTP/1.1 101"));
  }

  @Test
  void aBurstOverTheHandshakeRateIsSpreadOutWithinTheQueueAndRefusedPastIt() throws Exception {
    // 1 a second and a wait of half a second at most: of five at once, one goes through now and the
    // rest would wait
    // a second or more, so at least three are refused, fast.
    server =
        new TestServer(
            PushHubConfig.DEFAULT,
            NetTransport.AUTO,
            AdmissionConfig.DEFAULT.withLimits(0, 1, Duration.ofMillis(500)),
            TrustedProxies.NONE);
    List<String> answers = burst(5);
    assertThat(answers.stream().filter(a -> a.startsWith("HTTP/1.1 503")).count())
        .isGreaterThanOrEqualTo(3);
    assertThat(answers.stream().filter(a -> a.startsWith("HTTP/1.1 101")).count())
        .isGreaterThanOrEqualTo(1);
    assertThat(metrics())
        .containsPattern("herald_connections_refused_total\\{reason=\"handshake_rate\"} [3-4]\\.0");
  }

  @Test
  void aBurstWithinTheQueueAllGetsInWithoutARefusal() throws Exception {
    // 20 a second, up to 5 s of waiting: 30 at once are let in over about a second and a half, none
    // refused.
    server =
        new TestServer(
            PushHubConfig.DEFAULT,
            NetTransport.AUTO,
            AdmissionConfig.DEFAULT.withLimits(0, 20, Duration.ofSeconds(5)),
            TrustedProxies.NONE);
    List<String> answers = burst(30);
    assertThat(answers).allSatisfy(a -> assertThat(a).startsWith("HTTP/1.1 101"));
    assertThat(metrics())
        .contains("herald_connections_refused_total{reason=\"handshake_rate\"} 0.0");
  }

  private List<String> burst(int n) throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) all.add(pool.submit(() -> upgrade(server.port, null)));
      List<String> out = new ArrayList<>();
      for (Future<String> f : all) out.add(f.get());
      return out;
    }
  }

  @Test
  void atTheHardCapANewConnectionIsClosedAtItsAccept() throws Exception {
    server =
        new TestServer(
            PushHubConfig.DEFAULT,
            NetTransport.AUTO,
            new AdmissionConfig(2, 3, 0, 0, Duration.ofSeconds(1), 20_000, 0),
            TrustedProxies.NONE);
    for (int i = 0; i < 3; i++) {
      Socket idle =
          new Socket("127.0.0.1", server.port); // connected, sends nothing: holds a descriptor
      sockets.add(idle);
    }
    Thread.sleep(
        300); // time for the server to accept the three (nothing to observe from outside without a
    // fourth)
    Socket fourth = new Socket("127.0.0.1", server.port);
    sockets.add(fourth);
    fourth.setSoTimeout(10_000);
    assertThat(fourth.getInputStream().read()).as("closed by the server at once").isEqualTo(-1);
    for (Socket s : sockets) s.close();
    // Once they are gone, the node answers again; the scrape itself is the one open connection.
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> metrics().contains("herald_tcp_connections 1.0"));
    assertThat(metrics()).contains("herald_connections_refused_total{reason=\"fd_reserve\"} 1.0");
  }
}
