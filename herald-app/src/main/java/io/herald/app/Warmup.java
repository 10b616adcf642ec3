package io.herald.app;

import io.herald.core.engine.EngineFactory;
import io.herald.core.hub.HubConfig;
import io.herald.service.pushhub.PushHubConfig;
import io.herald.service.pushhub.PushHubService;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives push-hub's hot paths (the HTTP publish, the fan-out, the WebSocket write, the upgrade)
 * before the service starts, so that the JIT has compiled much of them before real traffic depends
 * on them (HERALD_WARMUP, off by default). A fresh JVM runs them interpreted at first and compiles
 * them during its first seconds of traffic: under the Go load generator the first 50 publishes/s
 * step of a fresh process cost about a quarter more CPU than later ones
 * (docs/benchmarks/history.md, "Warm-up and garbage"). The traffic goes to a private copy of
 * push-hub (its own Vert.x, hub, memory engine and metrics, on a free loopback port), so nothing of
 * it is visible on the real service: not its port, its channel's sequence, its history or its
 * /metrics.
 */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

  /** Concurrent publishers: enough to keep the copy's event loops busy on a small machine. */
  private static final int PUBLISHERS = 4;

  /**
   * A cold JVM takes a while to accept its first few hundred WebSockets; the duration counts from
   * then.
   */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** What one warm-up did. */
  record Result(int port, long publishes, long handshakes, long receivedBytes, long millis) {}

  private Warmup() {}

  /**
   * Runs the warm-up before the real service starts, so that it is ready (its port open, /health
   * 200) only with its hot paths compiled; logs the result, or why it was skipped (a failed warm-up
   * never stops the service).
   */
  static void before(
      WarmupConfig warmup, ServerConfig server, HubConfig hub, PushHubConfig pushHub) {
    try {
      Result r = run(warmup, server, hub, pushHub);
      LOG.info(
          "push-hub warm-up: {} publishes, {} KiB delivered to {} private loopback clients,"
              + " {} handshakes in {} ms (HERALD_WARMUP)",
          r.publishes(),
          r.receivedBytes() / 1024,
          warmup.clients(),
          r.handshakes(),
          r.millis());
    } catch (Exception e) {
      LOG.warn("push-hub warm-up skipped: {}", e.toString());
    }
  }

  static Result run(WarmupConfig warmup, ServerConfig server, HubConfig hub, PushHubConfig pushHub)
      throws Exception {
    long t0 = System.nanoTime();
    int port = freePort();
    // The real listener's transport, loops and limits; only the address differs. No API key: the
    // copy is reachable
    // on loopback only, for the length of the warm-up. Its clients send no Origin, which every
    // origin list admits
    // (a named one here keeps the copy from repeating the real service's warning about '*').
    ServerConfig local = server.withAddress("127.0.0.1", port);
    HeraldServer copy =
        new HeraldServer(
            local,
            new HubConfig(hub.history()),
            EngineFactory.MEMORY,
            List.of(
                new PushHubService(
                    new PushHubConfig(
                        List.of("http://127.0.0.1"), Optional.empty(), pushHub.ws()))));
    copy.start().await();
    try (WarmupClients clients = WarmupClients.open(port, warmup.clients())) {
      long connectDeadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
      while (clients.answered() < warmup.clients()) {
        if (System.nanoTime() > connectDeadline)
          throw new IOException(
              "the private push-hub did not answer its clients in " + CONNECT_TIMEOUT);
        Thread.sleep(5);
      }
      long deadline = System.nanoTime() + warmup.duration().toNanos();
      long[] handshakes = new long[1];
      Thread connecting =
          Thread.ofPlatform()
              .daemon()
              .name("herald-warmup-handshakes")
              .start(
                  () -> {
                    try {
                      handshakes[0] = WarmupHandshakes.until(port, deadline);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      long published = publishUntil(port, deadline);
      connecting.join();
      return new Result(
          port, published, handshakes[0], clients.bytes(), (System.nanoTime() - t0) / 1_000_000);
    } finally {
      copy.stop().await();
    }
  }

  /**
   * {@value #PUBLISHERS} keep-alive publishers POST stats_update events like a real publisher's
   * until the deadline.
   */
  private static long publishUntil(int port, long deadline) throws Exception {
    AtomicLong published = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    for (int w = 0; w < PUBLISHERS; w++) {
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .name("herald-warmup-publisher-" + w)
              .start(
                  () -> {
                    try (WarmupPublisher p = new WarmupPublisher(port)) {
                      for (long i = 0; System.nanoTime() < deadline; i++) {
                        int status = p.publish(i);
                        if (status != 202)
                          throw new IOException(
                              "the private push-hub answered a publish with " + status);
                        published.incrementAndGet();
                      }
                    } catch (Exception e) {
                      failures.add(e);
                    }
                  }));
    }
    for (Thread t : threads) t.join();
    if (!failures.isEmpty()) throw failures.getFirst();
    return published.get();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
