package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.outbox.CloseReason;
import io.herald.core.outbox.OutboxConfig;
import io.herald.core.outbox.OverflowPolicy;
import io.herald.testkit.Http;
import io.herald.testkit.WsClient;
import io.herald.transport.server.NetTransport;
import io.herald.transport.ws.WsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The parts of the push hub that lean on the transport, on each one HERALD_TRANSPORT can name:
 * fan-out across loops, and a socket's backpressure (a full socket holds writes back, the outbox
 * drains once the client reads, the write timeout fires on one that never does). Linux x86_64
 * offers all three; where io_uring or epoll is missing the server refuses to start, which fails the
 * test rather than hiding a fallback.
 */
class PushHubTransportTest extends ServerTestBase {
  private static PushHubConfig writeTimeout(Duration write, OutboxConfig outbox) {
    return new PushHubConfig(
        List.of("*"),
        Optional.empty(),
        new WsConfig(Duration.ofSeconds(54), Duration.ofSeconds(60), write, 512, outbox));
  }

  @ParameterizedTest
  @EnumSource(
      value = NetTransport.class,
      names = {"IO_URING", "EPOLL", "NIO"})
  void everyClientOnEveryLoopGetsEveryBroadcastInOrder(NetTransport transport) {
    server = new TestServer(PushHubConfig.DEFAULT, transport);
    assertThat(server.hub.transport()).isEqualTo(transport.wireName());
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < 8; i++) clients.add(WsClient.connect(vertx, server.port, "/ws"));
    for (int i = 0; i < 300; i++) server.hub.broadcastStatsUpdate(Map.of("i", i));
    for (WsClient c : clients) {
      await().atMost(Duration.ofSeconds(10)).until(() -> c.seqs().size() == 300);
      assertThat(c.seqs()).isSorted().doesNotHaveDuplicates();
    }
    assertThat(Http.get(server.port, "/metrics").body()).contains("herald_fanout_loops 2.0");
  }

  /**
   * A client that stopped reading, on a server with a roomy outbox and {@code write} as its write
   * timeout, sent {@code n} events of 4 KiB (more than loopback's socket buffers, up to about 10
   * MB, can absorb).
   */
  private WsClient stalledClient(NetTransport transport, Duration write, int n) {
    OutboxConfig roomy =
        new OutboxConfig(
            1_000_000, 512L << 20, new OverflowPolicy.Disconnect(CloseReason.SLOW_CONSUMER));
    server = new TestServer(writeTimeout(write, roomy), transport);
    WsClient c = WsClient.connect(vertx, server.port, "/ws");
    c.ws.pause();
    String big = "r".repeat(4096);
    for (int i = 0; i < n; i++) server.hub.broadcastStatsUpdate(Map.of("pad", big));
    return c;
  }

  @ParameterizedTest
  @EnumSource(
      value = NetTransport.class,
      names = {"IO_URING", "EPOLL", "NIO"})
  void aClientThatStallsThenReadsAgainGetsEverythingQueuedInOrder(NetTransport transport) {
    // Regression: queued messages once stayed in the outbox after the socket drained, because
    // Vert.x's
    // drainHandler does not fire for writes that bypass its API.
    int n = 5000; // 20 MB: part of it must wait in the outbox
    WsClient c = stalledClient(transport, Duration.ofSeconds(60), n);
    c.ws.resume();
    await().atMost(Duration.ofSeconds(30)).until(() -> c.seqs().size() == n);
    assertThat(c.seqs()).isSorted().doesNotHaveDuplicates();
    assertThat(c.closeCode).isNull();
  }

  @ParameterizedTest
  @EnumSource(
      value = NetTransport.class,
      names = {"IO_URING", "EPOLL", "NIO"})
  void aSocketThatTakesNoBytesForTheWriteTimeoutIsClosedWith4009(NetTransport transport) {
    WsClient slow = stalledClient(transport, Duration.ofMillis(500), 8000); // 32 MB
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Http.get(server.port, "/metrics")
                    .body()
                    .contains("herald_disconnects_total{reason=\"write_timeout\"} 1.0"));
    slow.ws.resume();
    assertThat(slow.awaitClose()).isEqualTo((short) 4009);
  }
}
