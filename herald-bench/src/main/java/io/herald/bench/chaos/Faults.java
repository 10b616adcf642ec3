package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.Ports;
import io.herald.testkit.RawWsClient;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * The fault scripts. Each starts push-hub from the repository's launcher with its history on disk,
 * runs a publisher and resuming clients, injects its fault, waits until every client has caught up
 * (or a deadline passes) and counts. The launcher execs the JVM, so the process handle is Herald
 * itself: a kill is a real SIGKILL.
 */
final class Faults {
  private static final Duration CATCH_UP = Duration.ofSeconds(30);
  private final ChaosConfig config;
  private final Progress progress = new Progress("[chaos]");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  Faults(ChaosConfig config) {
    this.config = config;
  }

  Tally run(String fault) throws Exception {
    return switch (fault) {
      case "kill-restart" -> restart("kill-restart", config.clients(), true);
      case "restart-storm" -> restart("restart-storm", config.stormClients(), false);
      case "stalled-consumer" -> stalled();
      case "half-close" -> new PushHubFaults(config, http, progress, this).halfClose();
      case "disk-full" -> new PushHubFaults(config, http, progress, this).diskFull();
      case "mariadb-restart" -> new DatabaseFault(config, http, progress, this).run();
      case "rabbitmq-restart" -> new BrokerFault(config, progress).run();
      case "redis-restart" -> new TelemetryFault(config, http, progress).run();
      case "kafka-restart" -> new KafkaFault(config, http, progress).run();
      case "sio-kill" -> new SioKillFault(config, http, progress).run();
      case "cluster-kill" -> new ClusterFault(config, http, progress, this).run();
      case "redis-failover", "redis-cluster-failover", "nats-server-kill", "engine-partition" ->
          new EngineFault(config, http, progress, this).run(fault);
      case "connect-storm" -> new ConnectStormFault(config, http, progress, this).run();
      case "connection-flood" -> new ConnectionFloodFault(config, http, progress, this).run();
      case "soak" -> new Soak(config, http, progress).run(this);
      default ->
          throw new IllegalArgumentException(
              "unknown fault " + fault + " (" + String.join(", ", FaultCatalog.NAMES) + ")");
    };
  }

  Target pushHub(Path journal) {
    return pushHub(journal, 1_000_000);
  }

  /**
   * push-hub with its history on disk, keeping {@code history} events (and none older than an hour)
   * for resume.
   */
  Target pushHub(Path journal, int history) {
    return new Target(
        "herald",
        List.of(config.root().resolve("herald").toString(), "push-hub"),
        Map.of(
            "HERALD_HOST",
            "127.0.0.1",
            "HERALD_HISTORY_DIR",
            journal.toString(),
            "HERALD_HISTORY_SIZE",
            Integer.toString(history),
            "HERALD_HISTORY_TTL",
            "1h"));
  }

  /**
   * {@code clients} resuming clients and a publisher; a third of the way in the server is killed
   * (SIGKILL) or stopped (SIGTERM, a deploy) and started again on the same journal; every client
   * reconnects at once with its position.
   */
  private Tally restart(String name, int clients, boolean kill) throws Exception {
    Path journal = Files.createTempDirectory(config.out(), "journal-");
    int port = Ports.free();
    Target target = pushHub(journal);
    RunningTarget server = RunningTarget.start(target, port, config.out());
    Ledger ledger = new Ledger();
    List<ResumingClient> all = connect(port, clients);
    Publisher pub = new Publisher(http, port, config.rate(), ledger);
    Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.seconds()));
    Thread.sleep((long) (config.seconds() * 1000 / 3));
    progress.line(
        name
            + ": "
            + (kill ? "SIGKILL" : "SIGTERM")
            + " to Herald (pid "
            + server.process.pid()
            + ") with "
            + clients
            + " clients connected");
    if (kill) server.process.destroyForcibly().waitFor();
    else server.close();
    Thread.sleep(500);
    long t0 = System.nanoTime();
    server = RunningTarget.start(target, port, config.out());
    progress.line(
        name
            + ": restarted in "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms; clients reconnect with ?since=");
    publisher.join();
    boolean caughtUp = awaitCaughtUp(name, all, ledger);
    Tally t =
        tally(
            name,
            all,
            ledger,
            pub,
            "",
            caughtUp
                ? "all clients caught up"
                : "not all clients caught up within " + CATCH_UP.toSeconds() + " s");
    all.forEach(ResumingClient::stop);
    server.close();
    delete(journal);
    return t;
  }

  /** The fault's journal folder, once its server is gone: only the results are kept. */
  static void delete(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /**
   * A client that stops reading while {@code clients} others read: it must be closed with 4008 (its
   * explicit signal) and the others must get everything, in order, once.
   */
  private Tally stalled() throws Exception {
    Path journal = Files.createTempDirectory(config.out(), "journal-");
    int port = Ports.free();
    RunningTarget server = RunningTarget.start(pushHub(journal), port, config.out());
    Ledger ledger = new Ledger();
    List<ResumingClient> all = connect(port, config.clients());
    String code;
    try (RawWsClient stalled = RawWsClient.unread(port, "/ws", 4096)) {
      // It stalls for 5 s, then reads what it was sent: the close frame waits up to 10 s behind
      // unread bytes.
      CompletableFuture<String> signal =
          CompletableFuture.supplyAsync(
              () -> {
                sleep(5_000);
                try {
                  return closeCode(stalled);
                } catch (IOException e) {
                  return "none (" + e.getClass().getSimpleName() + ")";
                }
              },
              r -> Thread.ofVirtual().start(r));
      // Big events so the stalled socket's buffers and outbox fill within the run.
      Publisher pub = new Publisher(http, port, config.rate(), ledger, 16 * 1024);
      pub.run(config.seconds());
      boolean caughtUp = awaitCaughtUp("stalled-consumer", all, ledger);
      code = signal.join();
      Tally t =
          tally(
              "stalled-consumer",
              all,
              ledger,
              pub,
              code,
              (caughtUp ? "readers caught up" : "readers behind")
                  + "; the stalled one, read afterwards, ends with close code "
                  + code);
      all.forEach(ResumingClient::stop);
      server.close();
      delete(journal);
      boolean ok = code.equals("4008");
      return t.judged(ok, t.signal(), t.note());
    }
  }

  List<ResumingClient> connect(int port, int n) {
    return connect(() -> port, n);
  }

  /**
   * {@code n} resuming clients, each connection to the port {@code ports} gives (a cluster's nodes
   * in turn).
   */
  List<ResumingClient> connect(IntSupplier ports, int n) {
    List<ResumingClient> all = new ArrayList<>(n);
    List<CompletableFuture<Void>> opened = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ResumingClient c = new ResumingClient(http, ports);
      all.add(c);
      opened.add(c.connect());
      if (i % 500 == 499)
        CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).join(); // in waves
      progress.tick("clients connected", i + 1, n);
    }
    CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).join();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (all.stream().anyMatch(c -> c.start < 0) && System.nanoTime() < deadline) sleep(20);
    return all;
  }

  boolean awaitCaughtUp(String name, List<ResumingClient> all, Ledger ledger) {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    while (System.nanoTime() < deadline) {
      long behind = all.stream().filter(c -> !c.caughtUp(ledger)).count();
      progress.tick(name + ": clients caught up", all.size() - behind, all.size());
      if (behind == 0) return true;
      sleep(100);
    }
    return false;
  }

  static Tally tally(
      String name,
      List<ResumingClient> all,
      Ledger ledger,
      Publisher pub,
      String signal,
      String note) {
    return tally(name, all, ledger, pub.attempted(), signal, note);
  }

  /**
   * The counts over {@code all} clients against what the server accepted of {@code attempted}
   * publishes.
   */
  static Tally tally(
      String name,
      List<ResumingClient> all,
      Ledger ledger,
      long attempted,
      String signal,
      String note) {
    long expected = 0, received = 0, lost = 0, dup = 0, reordered = 0, reconnects = 0;
    for (ResumingClient c : all) {
      expected += ledger.expectedAfter(Math.max(0, c.start));
      received += c.got.count();
      lost += c.lost(ledger);
      dup += c.got.duplicated();
      reordered += c.got.reordered();
      reconnects += c.reconnects();
    }
    String verdict = lost == 0 && dup == 0 && reordered == 0 ? "PASS" : "FAIL";
    return new Tally(
        name,
        all.size(),
        attempted,
        ledger.accepted.size(),
        expected,
        received,
        lost,
        dup,
        reordered,
        reconnects,
        signal,
        verdict,
        note);
  }

  /**
   * Reads the stalled client to its end: the close frame's code, or "none (1006)" when the TCP
   * connection just ended.
   */
  private static String closeCode(RawWsClient c) throws IOException {
    c.readTimeout(15_000);
    try {
      int code = c.awaitCloseCode();
      return code < 0 ? "1005" : String.valueOf(code);
    } catch (EOFException e) {
      return "none (1006)";
    } catch (SocketTimeoutException e) {
      return "none (no close within 15 s)";
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().startsWith("upgrade refused")
          ? "upgrade refused"
          : "none (1006, " + e.getClass().getSimpleName() + ")";
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Broadcasts at a paced rate for a while; each accepted one adds its number to the ledger,
   * anything else counts as refused. push-hub's (the default) owes the sequence its 202 names;
   * Socket.IO's ({@link #socketIo}) owes publish number {@code i}, which the notification carries
   * as its message.
   */
  static final class Publisher {
    private final HttpClient http;
    private final IntSupplier port;
    private final double rate;
    private final Ledger ledger;
    private final String pad;
    private final boolean socketIo;
    private long attempted;
    private boolean stamped;

    private Publisher(
        HttpClient http,
        IntSupplier ports,
        double rate,
        Ledger ledger,
        int padBytes,
        boolean socketIo) {
      this.http = http;
      this.port = ports;
      this.rate = rate;
      this.ledger = ledger;
      this.pad = "p".repeat(padBytes);
      this.socketIo = socketIo;
    }

    /**
     * Notifications to websocket's global room (POST /api/broadcast/global); any 2xx accepts one.
     */
    static Publisher socketIo(HttpClient http, int port, double rate, Ledger ledger) {
      return new Publisher(http, () -> port, rate, ledger, 0, true);
    }

    Publisher(HttpClient http, int port, double rate, Ledger ledger) {
      this(http, port, rate, ledger, 0);
    }

    Publisher(HttpClient http, int port, double rate, Ledger ledger, int padBytes) {
      this(http, () -> port, rate, ledger, padBytes);
    }

    /**
     * Each publish to the port {@code ports} gives: a cluster's nodes in turn (one that is down
     * refuses it).
     */
    Publisher(HttpClient http, IntSupplier ports, double rate, Ledger ledger, int padBytes) {
      this(http, ports, rate, ledger, padBytes, false);
    }

    /**
     * Each event carries its send time ({@code "t"}, this JVM's nanoTime): clients here can measure
     * its latency.
     */
    Publisher stamped() {
      stamped = true;
      return this;
    }

    void run(double seconds) {
      Pace pace = new Pace(rate, seconds);
      for (long i = 0; i < pace.ticks; i++) {
        pace.await(i);
        synchronized (this) {
          attempted++;
        }
        publish(i);
      }
    }

    private void publish(long i) {
      String body =
          socketIo
              ? "{\"event\":\"notification\",\"data\":{\"title\":\"chaos\",\"message\":\""
                  + i
                  + "\"}}"
              : "{\"type\":\"stats_update\",\"data\":{\"stats\":{\"i\":"
                  + i
                  + (pad.isEmpty() ? "" : ",\"pad\":\"" + pad + "\"")
                  + (stamped ? ",\"t\":" + System.nanoTime() : "")
                  + "}}}";
      String path = socketIo ? "/api/broadcast/global" : "/api/v1/broadcast";
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path))
                    .timeout(Duration.ofSeconds(2))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        int at = r.body().indexOf("\"seq\":");
        if (socketIo && r.statusCode() / 100 == 2) ledger.accepted.add(i);
        else if (!socketIo && r.statusCode() == 202 && at >= 0)
          ledger.accepted.add(Long.parseLong(r.body().substring(at + 6).replaceAll("\\D.*", "")));
        else ledger.refuse();
      } catch (IOException e) {
        ledger.refuse(); // the server is down: this event was never accepted
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    synchronized long attempted() {
      return attempted;
    }
  }
}
