package io.herald.app;

import io.herald.core.engine.EngineFactory;
import io.herald.core.hub.HubConfig;
import io.herald.service.pushhub.PushHubConfig;
import io.herald.service.pushhub.PushHubService;
import io.herald.transport.server.HeraldServer;
import io.herald.transport.server.ServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives push-hub's hot paths (the HTTP publish, the fan-out, the WebSocket write) for a moment after start, so that
 * the JIT has compiled them before real traffic depends on them. A fresh JVM runs them interpreted at first and then
 * spends about a core-second compiling them during its first seconds of traffic: measured under the Go load generator,
 * the first 50 publishes/s step of a fresh process cost 30-40% more CPU than the same step a minute later
 * (BENCHMARKS.md, "Warm-up"). The traffic goes to a private copy of push-hub (its own Vert.x, hub, memory engine and
 * metrics, on a free loopback port), so nothing of it is visible on the real service: not its port, its channel's
 * sequence, its history or its /metrics. It runs beside the real service, which answers from the moment it is ready.
 */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
  /** Concurrent publishers: enough to keep the copy's loops busy, few enough to leave the machine to real traffic. */
  private static final int PUBLISHERS = 4;

  /** What one warm-up did. */
  record Result(long publishes, long receivedBytes, long millis) {}

  private Warmup() {}

  /** Runs the warm-up on a daemon thread; logs its result, or why it was skipped (it never stops the service). */
  static void startInBackground(WarmupConfig warmup, ServerConfig server, HubConfig hub, PushHubConfig pushHub) {
    Thread.ofPlatform().daemon().name("herald-warmup").start(() -> {
      try {
        Result r = run(warmup, server, hub, pushHub);
        LOG.info("push-hub warm-up done: {} publishes, {} KiB delivered to {} private clients in {} ms (HERALD_WARMUP=0 turns it off)",
            r.publishes(), r.receivedBytes() / 1024, warmup.clients(), r.millis());
      } catch (Exception e) {
        LOG.warn("push-hub warm-up skipped: {}", e.toString());
      }
    });
  }

  static Result run(WarmupConfig warmup, ServerConfig server, HubConfig hub, PushHubConfig pushHub) throws Exception {
    long t0 = System.nanoTime();
    int port = freePort();
    // The real listener's transport, loops and limits; only the address differs. No API key: the copy is reachable
    // on loopback only, for the length of the warm-up. Its clients send no Origin, which every origin list admits
    // (a named one here keeps the copy from repeating the real service's warning about '*').
    ServerConfig local = server.withAddress("127.0.0.1", port);
    HeraldServer copy = new HeraldServer(local, new HubConfig(hub.history()), EngineFactory.MEMORY,
        List.of(new PushHubService(new PushHubConfig(List.of("http://127.0.0.1"), Optional.empty(), pushHub.ws()))));
    copy.start().await();
    try (WarmupClients clients = WarmupClients.open(port, warmup.clients())) {
      long deadline = t0 + warmup.duration().toNanos();
      while (clients.answered() < warmup.clients()) {
        if (System.nanoTime() > deadline) throw new IOException("the private push-hub did not answer its clients in time");
        Thread.sleep(5);
      }
      long published = publishUntil(port, deadline);
      return new Result(published, clients.bytes(), (System.nanoTime() - t0) / 1_000_000);
    } finally {
      copy.stop().await();
    }
  }

  /** {@value #PUBLISHERS} keep-alive publishers POST stats_update events like a real publisher's until the deadline. */
  private static long publishUntil(int port, long deadline) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/broadcast");
    AtomicLong published = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      for (int w = 0; w < PUBLISHERS; w++) {
        threads.add(Thread.ofPlatform().daemon().name("herald-warmup-publisher-" + w).start(() -> {
          try {
            for (long i = 0; System.nanoTime() < deadline; i++) {
              String body = "{\"type\":\"stats_update\",\"data\":{\"stats\":{\"t\":" + System.nanoTime() + ",\"i\":" + i
                  + ",\"pad\":\"warming up the fan-out path of a fresh JVM\"}}}";
              HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).header("content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
              if (r.statusCode() != 202) throw new IOException("the private push-hub answered a publish with " + r.statusCode());
              published.incrementAndGet();
            }
          } catch (Exception e) {
            failures.add(e);
          }
        }));
      }
      for (Thread t : threads) t.join();
    }
    if (!failures.isEmpty()) throw failures.getFirst();
    return published.get();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
