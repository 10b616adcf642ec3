package io.herald.bench.scenario;

import io.herald.bench.load.BenchJwt;
import io.herald.bench.load.Histogram;
import io.herald.bench.load.HttpLoad;
import io.herald.bench.load.Progress;
import io.herald.bench.load.Publisher;
import io.herald.bench.load.Resp;
import io.herald.bench.report.PollResult;
import io.herald.bench.target.ProcStats;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Telemetry's targets (issue 4): short polls per second and latency, and many parked long polls.
 * Herald alone.
 */
final class TelemetryScenarios {
  static final int REDIS_DB = 6;
  static final String REDIS_URL = "redis://127.0.0.1:6379/" + REDIS_DB;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private TelemetryScenarios() {}

  static Target target(Path root, boolean redis) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "HERALD_HOST",
                "127.0.0.1",
                "JWT_SECRET",
                BenchJwt.SECRET,
                "LONG_POLL_TIMEOUT_MS",
                "120000",
                "WORKER_POOL_SIZE",
                "1000"));
    if (redis) env.put("REDIS_URL", REDIS_URL);
    return new Target(
        "herald-" + (redis ? "redis" : "memory"),
        List.of(root.resolve("herald").toString(), "telemetry"),
        env);
  }

  /** Empties the bench's Redis database. */
  static void flushRedis() throws IOException {
    try (Resp r = new Resp(REDIS_DB)) {
      r.call(List.of("FLUSHDB"));
    }
  }

  static void publish(int port, String user, String status) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + port + "/v1/internal/events/order-status-change"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"orderId\":\"bench\",\"userId\":\""
                            + user
                            + "\",\"newStatus\":\""
                            + status
                            + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202)
      throw new IllegalStateException("publish failed: " + r.statusCode() + " " + r.body());
  }

  static int waiting(int port) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    int i = body.indexOf("\"waiting\":");
    int v = 0;
    for (int p = i + 10; p < body.length() && Character.isDigit(body.charAt(p)); p++)
      v = v * 10 + (body.charAt(p) - '0');
    return v;
  }

  /**
   * Closed loop: {@code connections} keep one short poll each in flight, over 1,000 users with one
   * event each.
   */
  static PollResult shortPoll(
      RunningTarget rt, String store, int connections, double seconds, int sources, Progress p)
      throws Exception {
    int users = 1000;
    byte[][] requests = new byte[users][];
    for (int u = 0; u < users; u++) {
      publish(rt.port, "u" + u, "READY");
      requests[u] =
          HttpLoad.get("/v1/polling/user/events?lastEventId=0-0", BenchJwt.token("u" + u, false));
    }
    Histogram latency = new Histogram();
    HttpLoad.Handler h =
        (c, status, body, len, sent) -> {
          latency.record((System.nanoTime() - sent) / 1000);
          int next = (int) (c.state == null ? c.id : (Integer) c.state) + connections;
          c.state = next;
          return requests[next % users];
        };
    try (HttpLoad load = new HttpLoad(2, sources, h)) {
      load.open(rt.port, connections, p, i -> requests[i % users]);
      Thread.sleep(3000); // warm-up
      latency.reset();
      long r0 = load.responses.sum(), f0 = load.failures.sum();
      ProcStats s0 = rt.stats();
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < seconds * 1e9) {
        Thread.sleep(1000);
        p.line(
            String.format(
                "%d connections: %d responses so far", connections, load.responses.sum() - r0));
      }
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long n = load.responses.sum() - r0;
      ProcStats s1 = rt.stats();
      PollResult r =
          new PollResult(
              "shortpoll",
              store,
              connections,
              0,
              n,
              load.failures.sum() - f0,
              n / elapsed,
              latency.quantile(0.5),
              latency.quantile(0.99),
              latency.quantile(0.999),
              connections,
              s1.cpuSeconds() - s0.cpuSeconds(),
              s1.rssBytes());
      p.line(
          String.format(
              "shortpoll %s c=%d: %.0f/s p50=%.2fms p99=%.2fms p999=%.2fms failures=%d cpu=%.2fs",
              store,
              connections,
              r.perSec(),
              r.p50Micros() / 1000.0,
              r.p99Micros() / 1000.0,
              r.p999Micros() / 1000.0,
              r.failures(),
              r.serverCpuSeconds()));
      return r;
    }
  }

  /**
   * {@code polls} users each keep a long poll parked on their stream; events go to random users at
   * {@code rate}/s, each carrying the publisher's nanoTime, so latency is publish to response;
   * every answered poll re-parks.
   */
  static PollResult longPoll(
      RunningTarget rt,
      Vertx vertx,
      String store,
      int polls,
      double rate,
      double seconds,
      int sources,
      Progress p)
      throws Exception {
    Histogram latency = new Histogram();
    LongAdder delivered = new LongAdder();
    String[] tokens = new String[polls];
    for (int i = 0; i < polls; i++) tokens[i] = BenchJwt.token("u" + i, false);
    HttpLoad.Handler h =
        (c, status, body, len, sent) -> {
          String text = new String(body, 0, len, StandardCharsets.US_ASCII);
          for (int i = text.indexOf("\"newStatus\":\"");
              i >= 0;
              i = text.indexOf("\"newStatus\":\"", i + 1)) {
            long t = 0;
            for (int q = i + 13; q < text.length() && Character.isDigit(text.charAt(q)); q++)
              t = t * 10 + (text.charAt(q) - '0');
            latency.record((System.nanoTime() - t) / 1000);
            delivered.increment();
          }
          int li = text.indexOf("\"lastEventId\":\"");
          String last = li < 0 ? "$" : text.substring(li + 15, text.indexOf('"', li + 15));
          return HttpLoad.get(
              "/v1/polling/user/events?longPoll=true&lastEventId=" + last, tokens[c.id]);
        };
    try (HttpLoad load = new HttpLoad(2, sources, h)) {
      load.open(
          rt.port,
          polls,
          p,
          i -> HttpLoad.get("/v1/polling/user/events?longPoll=true&lastEventId=$", tokens[i]));
      long deadline = System.nanoTime() + 60_000_000_000L;
      int parked;
      while ((parked = waiting(rt.port)) < polls && System.nanoTime() < deadline) {
        p.tick("parked", parked, polls);
        Thread.sleep(200);
      }
      p.line("parked " + parked + " long polls; RSS " + (rt.stats().rssBytes() >> 20) + " MiB");
      Publisher pub = new Publisher(vertx, rt.port);
      Publisher.Body body =
          (nanos, n) ->
              "{\"orderId\":\"b"
                  + n
                  + "\",\"userId\":\"u"
                  + ThreadLocalRandom.current().nextInt(polls)
                  + "\",\"newStatus\":\""
                  + nanos
                  + "\"}";
      pub.run(
          rate,
          3,
          "/v1/internal/events/order-status-change",
          body); // warm-up: the JIT compiles the publish path
      Thread.sleep(1000);
      latency.reset();
      delivered.reset();
      ProcStats s0 = rt.stats();
      Publisher.Run run = pub.run(rate, seconds, "/v1/internal/events/order-status-change", body);
      pub.close();
      long waitUntil = System.nanoTime() + 5_000_000_000L;
      while (delivered.sum() < run.accepted() && System.nanoTime() < waitUntil) Thread.sleep(10);
      ProcStats s1 = rt.stats();
      PollResult r =
          new PollResult(
              "longpoll",
              store,
              polls,
              rate,
              run.accepted(),
              run.accepted() - delivered.sum(),
              delivered.sum() / run.seconds(),
              latency.quantile(0.5),
              latency.quantile(0.99),
              latency.quantile(0.999),
              parked,
              s1.cpuSeconds() - s0.cpuSeconds(),
              s1.rssBytes());
      p.line(
          String.format(
              "longpoll %s: %d parked, published %d, delivered %d, "
                  + "p50=%.2fms p99=%.2fms p999=%.2fms cpu=%.2fs rss=%dMiB",
              store,
              parked,
              run.accepted(),
              delivered.sum(),
              r.p50Micros() / 1000.0,
              r.p99Micros() / 1000.0,
              r.p999Micros() / 1000.0,
              r.serverCpuSeconds(),
              r.rssBytes() >> 20));
      return r;
    }
  }
}
