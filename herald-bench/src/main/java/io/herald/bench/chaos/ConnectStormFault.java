package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.Ports;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code connect-storm}: what a reconnect storm costs the clients that stay. push-hub on core 0
 * with {@code --clients} clients connected and a publisher running; a third of the way in, {@code
 * --storm-clients} new clients connect at once (the clients of a node that was just stopped,
 * arriving on this one). The clients that stayed must keep getting every broadcast; the figures are
 * their publish-to-delivery latency before, during and after the storm, and the time until the last
 * storm client is in. Run it with {@code HERALD_HANDSHAKE_RATE} set (the chaos process passes its
 * environment to Herald) to see the rate shape the storm.
 */
record ConnectStormFault(ChaosConfig config, HttpClient http, Progress progress, Faults faults) {
  private static final long ALL_IN_DEADLINE_NANOS = 60_000_000_000L;

  Tally run() throws Exception {
    Path journal = Files.createTempDirectory(config.out(), "journal-");
    int port = Ports.free();
    Target plain = faults.pushHub(journal);
    boolean pin = Pinning.possible();
    List<String> cmd = Pinning.server(pin, plain.command());
    if (pin) Pinning.self("1-" + (Runtime.getRuntime().availableProcessors() - 1));
    try (RunningTarget server =
        RunningTarget.start(new Target("herald-storm", cmd, plain.env()), port, config.out())) {
      return storm(port);
    } finally {
      if (pin) Pinning.self("0-" + (Runtime.getRuntime().availableProcessors() - 1));
      Faults.delete(journal);
    }
  }

  private Tally storm(int port) throws Exception {
    Ledger ledger = new Ledger();
    StormLatency latency = new StormLatency();
    List<ResumingClient> staying = faults.connect(port, config.clients());
    staying.forEach(c -> c.latency = latency::add);
    Faults.Publisher pub = new Faults.Publisher(http, port, config.rate(), ledger).stamped();
    Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.seconds()));
    Faults.sleep((long) (config.seconds() * 1000 / 3));
    int n = config.stormClients();
    String rate = System.getenv().getOrDefault("HERALD_HANDSHAKE_RATE", "off");
    progress.line(
        "connect-storm: "
            + n
            + " clients connect at once beside "
            + staying.size()
            + " (HERALD_HANDSHAKE_RATE "
            + rate
            + ")");
    latency.stormStarts();
    List<ResumingClient> storm = new ArrayList<>(n);
    // A client of their own: one HttpClient reads all its WebSockets on one selector thread, so
    // storm clients on the
    // staying clients' one would delay those here, in the measuring process, and the figure would
    // be this JVM's.
    HttpClient stormHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (int i = 0; i < n; i++) {
      ResumingClient c = new ResumingClient(stormHttp, port);
      storm.add(c);
      c.connect(); // not awaited: they all arrive together
    }
    long allIn = awaitAllIn(storm, latency.stormStart());
    latency.stormEnds();
    publisher.join();
    List<ResumingClient> everyone = new ArrayList<>(staying);
    everyone.addAll(storm);
    boolean caughtUp = faults.awaitCaughtUp("connect-storm", everyone, ledger);
    String allInText =
        allIn < 0
            ? "not all in within 60 s"
            : "all " + n + " in after " + allIn / 1_000_000 + " ms";
    Tally t =
        Faults.tally(
            "connect-storm",
            everyone,
            ledger,
            pub,
            allInText + "; staying clients' latency " + latency.summary(),
            (caughtUp ? "every client caught up" : "not every client caught up")
                + "; HERALD_HANDSHAKE_RATE "
                + rate);
    everyone.forEach(ResumingClient::stop);
    progress.line("connect-storm: " + t.signal());
    return t.judged(allIn >= 0 && pub.attempted() == ledger.accepted.size(), t.signal(), t.note());
  }

  /**
   * Nanoseconds from the storm's start until every storm client had its {@code
   * connection_established}, or -1.
   */
  private long awaitAllIn(List<ResumingClient> storm, long from) {
    while (System.nanoTime() - from < ALL_IN_DEADLINE_NANOS) {
      long in = storm.stream().filter(c -> c.start >= 0).count();
      progress.tick("connect-storm: storm clients in", in, storm.size());
      if (in == storm.size()) return System.nanoTime() - from;
      Faults.sleep(20);
    }
    return -1;
  }
}
