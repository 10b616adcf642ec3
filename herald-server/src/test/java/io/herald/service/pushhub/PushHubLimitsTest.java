package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.outbox.CloseReason;
import io.herald.core.outbox.OutboxConfig;
import io.herald.core.outbox.OverflowPolicy;
import io.herald.testkit.Http;
import io.herald.testkit.RawWsClient;
import io.herald.testkit.WsClient;
import io.herald.transport.ws.WsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Heartbeat, slow consumers and graceful shutdown, with shortened intervals (backpressure and the
 * write timeout, on every transport: {@link PushHubTransportTest}).
 */
class PushHubLimitsTest extends ServerTestBase {
  private static PushHubConfig config(
      Duration ping, Duration pong, Duration write, OutboxConfig outbox) {
    return new PushHubConfig(
        List.of("*"), Optional.empty(), new WsConfig(ping, pong, write, 512, outbox));
  }

  private static final OutboxConfig SMALL_OUTBOX =
      new OutboxConfig(50, 64 * 1024, new OverflowPolicy.Disconnect(CloseReason.SLOW_CONSUMER));

  @Test
  void aClientThatNeverAnswersPingsIsClosedWith4001WhileOneThatDoesStays() throws Exception {
    server =
        new TestServer(
            config(
                Duration.ofMillis(100),
                Duration.ofMillis(400),
                Duration.ofSeconds(10),
                OutboxConfig.DEFAULT));
    WsClient healthy = WsClient.connect(vertx, server.port, "/ws");
    try (RawWsClient dead = new RawWsClient(server.port, "/ws")) {
      assertThat(dead.awaitCloseCode()).isEqualTo(4001);
    }
    Thread.sleep(800); // twice the pong timeout: the pinging client must still be there
    assertThat(healthy.closeCode).isNull();
    healthy.send("{\"type\":\"ping\"}");
    healthy.awaitType("pong");
  }

  @Test
  void aStalledClientIsClosedWith4008WhileOthersReceiveEverything() {
    server =
        new TestServer(
            config(
                Duration.ofSeconds(54),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                SMALL_OUTBOX));
    WsClient fast = WsClient.connect(vertx, server.port, "/ws");
    WsClient slow = WsClient.connect(vertx, server.port, "/ws");
    slow.ws.pause();
    String big = "y".repeat(4096);
    int n =
        4000; // 16 MB: more than loopback socket buffers, Netty's buffer and the outbox together
    for (int i = 0; i < n; i++) {
      server.hub.broadcastStatsUpdate(Map.of("pad", big, "i", i));
      // Paced so a reading client never falls 10 messages (40 KB) behind: only the stalled one can
      // overflow.
      if (i % 10 == 9) {
        int sent = i + 1;
        await()
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1))
            .atMost(Duration.ofSeconds(10))
            .until(() -> fast.seqs().size() == sent || fast.closeCode != null);
      }
    }
    assertThat(fast.seqs()).hasSize(n);
    assertThat(fast.closeCode).isNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Http.get(server.port, "/metrics")
                    .body()
                    .contains("herald_disconnects_total{reason=\"slow_consumer\"} 1.0"));
    slow.ws.resume();
    assertThat(slow.awaitClose()).isEqualTo((short) 4008);
    assertThat(slow.seqs().size()).isLessThan(n);
    assertThat(Http.get(server.port, "/metrics").body()).contains("herald_outbox_depth 0.0");
  }

  /**
   * A client stalled longer than the 2 s closing handshake still gets its 4008 when it reads again:
   * the close frame waits behind the bytes written before it, and the handshake's time counts from
   * when it has left.
   */
  @Test
  void aClientStalledForSecondsAfterItsOverflowStillGets4008() throws Exception {
    server =
        new TestServer(
            config(
                Duration.ofSeconds(54),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                SMALL_OUTBOX));
    WsClient fast = WsClient.connect(vertx, server.port, "/ws");
    try (RawWsClient slow = new RawWsClient(server.port, "/ws")) { // reads nothing until told to
      String big = "y".repeat(4096);
      // Paced by a reading client, so the stalled one's socket buffers fill before its outbox
      // overflows: the close
      // frame then waits behind megabytes the client has not read.
      for (int i = 0; i < 4000; i++) {
        server.hub.broadcastStatsUpdate(Map.of("pad", big, "i", i));
        if (i % 10 == 9) {
          int sent = i + 1;
          await()
              .pollDelay(Duration.ZERO)
              .pollInterval(Duration.ofMillis(1))
              .atMost(Duration.ofSeconds(10))
              .until(() -> fast.seqs().size() == sent);
        }
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Http.get(server.port, "/metrics")
                      .body()
                      .contains("herald_disconnects_total{reason=\"slow_consumer\"} 1.0"));
      Thread.sleep(3_500); // stalled well past the closing handshake's 2 s
      assertThat(slow.awaitCloseCode()).isEqualTo(4008);
    }
  }

  @Test
  void shutdownClosesEveryClientWith1001AfterFlushing() {
    server = new TestServer(PushHubConfig.DEFAULT);
    WsClient a = WsClient.connect(vertx, server.port, "/ws");
    WsClient b = WsClient.connect(vertx, server.port, "/ws");
    for (int i = 0; i < 100; i++) server.hub.broadcastStatsUpdate(Map.of("i", i));
    server.close();
    server = null;
    assertThat(a.awaitClose()).isEqualTo((short) 1001);
    assertThat(b.awaitClose()).isEqualTo((short) 1001);
    assertThat(a.seqs()).hasSize(100);
    assertThat(b.seqs()).hasSize(100);
  }

  @Test
  void shutdownFinishesByItsDeadlineEvenWithAClientThatStoppedReading() {
    server =
        new TestServer(
            config(
                Duration.ofSeconds(54),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                OutboxConfig.DEFAULT));
    WsClient stuck = WsClient.connect(vertx, server.port, "/ws");
    stuck.ws.pause();
    String big = "q".repeat(4096);
    for (int i = 0; i < 500; i++) server.hub.broadcastStatsUpdate(Map.of("pad", big));
    long t0 = System.nanoTime();
    server.close(); // the test server's shutdown deadline is 5 s
    server = null;
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
  }
}
