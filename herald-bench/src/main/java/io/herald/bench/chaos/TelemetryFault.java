package io.herald.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.bench.load.BenchJwt;
import io.herald.bench.load.Progress;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * telemetry on Redis while Redis restarts without its data ({@code redis-cli shutdown nosave}, then
 * the machine's start command): clients poll every second with their cursor, a publisher publishes
 * at {@code rate}. Redis keeps nothing across the restart here, so events published just before it
 * and not yet polled are gone: each client must either receive every accepted event or be told
 * {@code missed: true} (the explicit not-recovered signal), never a silent gap; and every event
 * accepted after the restart must arrive.
 */
final class TelemetryFault {
  private static final String REDIS_URL = "redis://127.0.0.1:6379/11";
  private static final String START =
      "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no "
          + "--dir /var/lib/redis --logfile /var/log/redis/ci.log";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ChaosConfig config;
  private final HttpClient http;
  private final Progress progress;

  TelemetryFault(ChaosConfig config, HttpClient http, Progress progress) {
    this.config = config;
    this.http = http;
    this.progress = progress;
  }

  Tally run() throws Exception {
    if (!Shell.run(5, "redis-cli ping").ok())
      return Tally.skipped("redis-restart", "Redis is not running on 127.0.0.1:6379");
    Shell.run(5, "redis-cli -n 11 flushdb");
    int port = Ports.free();
    RunningTarget server =
        RunningTarget.start(
            new Target(
                "herald",
                List.of(config.root().resolve("herald").toString(), "telemetry"),
                Map.of(
                    "HERALD_HOST",
                    "127.0.0.1",
                    "JWT_SECRET",
                    BenchJwt.SECRET,
                    "REDIS_URL",
                    REDIS_URL)),
            port,
            config.out());
    String token = BenchJwt.token("chaos", false);
    List<Poller> pollers = new ArrayList<>();
    for (int i = 0; i < config.clients(); i++) pollers.add(new Poller(port, token));
    List<Thread> threads = new ArrayList<>();
    for (Poller p : pollers) threads.add(Thread.ofVirtual().start(p::run));
    Ledger ledger = new Ledger();
    long[] attempted = {0};
    Thread publisher = Thread.ofVirtual().start(() -> attempted[0] = publish(port, ledger));
    Faults.sleep((long) (config.seconds() * 1000 / 3));
    progress.line("redis-restart: redis-cli shutdown nosave, 2 s, start");
    Shell.Result down = Shell.run(30, "redis-cli shutdown nosave");
    Faults.sleep(2_000);
    Shell.Result up = Shell.run(30, START);
    long restartedAt = ledger.accepted.isEmpty() ? 0 : ledger.accepted.last();
    publisher.join();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline
        && !pollers.stream().allMatch(p -> p.hasAllAfter(ledger, restartedAt))) Faults.sleep(200);
    pollers.forEach(p -> p.stopped = true);
    for (Thread t : threads) t.join();
    server.close();
    long expected = 0, received = 0, silent = 0, said = 0, dup = 0, reordered = 0, told = 0;
    boolean after = true;
    for (Poller p : pollers) {
      long missing = p.missing(ledger);
      expected += ledger.accepted.size();
      received += p.got.count();
      dup += p.got.duplicated();
      reordered += p.got.reordered();
      if (p.missed) {
        told++;
        said += missing;
      } else {
        silent += missing;
      }
      after &= p.hasAllAfter(ledger, restartedAt);
    }
    String verdict =
        silent == 0 && dup == 0 && reordered == 0 && after && up.ok() ? "PASS" : "FAIL";
    return new Tally(
        "redis-restart",
        pollers.size(),
        attempted[0],
        ledger.accepted.size(),
        expected,
        received,
        silent,
        dup,
        reordered,
        0,
        told + " clients told missed:true (" + said + " events not recovered, said)",
        verdict,
        (after
                ? "every event accepted after the restart arrived"
                : "events accepted after the restart missing")
            + (down.ok() || down.output().isEmpty() ? "" : "; shutdown: " + down.output()));
  }

  private long publish(int port, Ledger ledger) {
    Pace pace = new Pace(config.rate(), config.seconds());
    long n = pace.ticks, attempted = 0;
    for (long i = 1; i <= n; i++) {
      pace.await(i - 1);
      attempted++;
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/internal/events/publish"))
                    .timeout(Duration.ofSeconds(2))
                    .header("content-type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"eventType\":\"CHAOS\",\"action\":\"TICK\",\"entityId\":\""
                                + i
                                + "\",\"entityType\":\"CHAOS\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 202) ledger.accepted.add(i);
        else ledger.refused.incrementAndGet();
      } catch (IOException e) {
        ledger.refused.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return attempted;
  }

  /**
   * A client polling the CHAOS event type once a second with its cursor, as the seed's clients do.
   */
  private final class Poller {
    private final int port;
    private final String token;
    private final Received got = new Received();
    private String cursor;
    volatile boolean stopped;
    volatile boolean missed;

    Poller(int port, String token) {
      this.port = port;
      this.token = token;
    }

    void run() {
      while (!stopped) {
        try {
          String q =
              "/v1/polling/events?eventType=CHAOS&limit=1000"
                  + (cursor == null
                      ? ""
                      : "&lastEventId=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + q))
                      .timeout(Duration.ofSeconds(5))
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) page(JSON.readTree(r.body()));
        } catch (IOException e) {
          // Redis or the server is away: poll again
        } catch (InterruptedException e) {
          return;
        }
        Faults.sleep(1_000);
      }
    }

    private synchronized void page(JsonNode page) {
      if (page.path("missed").asBoolean()) missed = true;
      for (JsonNode e : page.path("events")) {
        got.add(Long.parseLong(e.path("entityId").asText("-1")));
      }
      if (page.hasNonNull("lastEventId")) cursor = page.get("lastEventId").asText();
    }

    long missing(Ledger ledger) {
      return got.missing(ledger.accepted);
    }

    boolean hasAllAfter(Ledger ledger, long from) {
      return ledger.accepted.tailSet(from, false).stream().allMatch(got::has);
    }
  }
}
