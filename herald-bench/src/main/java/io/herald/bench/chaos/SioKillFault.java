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
import java.util.Map;

/**
 * The websocket service with its history on disk (HERALD_HISTORY_DIR) killed with SIGKILL under
 * load: Socket.IO clients in the {@code global} room with connection state recovery, a publisher
 * POSTing numbered notifications to /api/broadcast/global at {@code rate}; a third of the way in
 * the server is killed and started again on the same directory. Every client must get its session
 * back (the same socket id) and every accepted broadcast once, in order: the sessions come from the
 * last snapshot (written every second), the missed events from the journal.
 */
final class SioKillFault {
  private final ChaosConfig config;
  private final HttpClient http;
  private final Progress progress;

  SioKillFault(ChaosConfig config, HttpClient http, Progress progress) {
    this.config = config;
    this.http = http;
    this.progress = progress;
  }

  Tally run() throws Exception {
    Path dir = Files.createTempDirectory(config.out(), "sio-journal-");
    int port = Ports.free();
    Target target =
        new Target(
            "herald",
            List.of(config.root().resolve("herald").toString(), "websocket"),
            Map.of(
                "HERALD_HOST",
                "127.0.0.1",
                "HERALD_HISTORY_DIR",
                dir.toString(),
                "HERALD_KAFKA_ENABLED",
                "false",
                "MAX_CONNECTIONS_PER_IP",
                "100000"));
    RunningTarget server = RunningTarget.start(target, port, config.out());
    List<SioCount> clients = new ArrayList<>();
    for (int i = 0; i < config.clients(); i++) {
      SioCount c = SioCount.recovering(http, port);
      c.client().connect();
      clients.add(c);
      progress.tick("sio-kill: clients connected", i + 1, config.clients());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!clients.stream().allMatch(c -> c.client().connected()) && System.nanoTime() < deadline)
      Faults.sleep(50);
    Ledger ledger = new Ledger();
    Faults.Publisher pub = Faults.Publisher.socketIo(http, port, config.rate(), ledger);
    Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.seconds()));
    Thread.sleep((long) (config.seconds() * 1000 / 3));
    progress.line(
        "sio-kill: SIGKILL to Herald websocket (pid "
            + server.process.pid()
            + ") with "
            + clients.size()
            + " Socket.IO clients");
    server.process.destroyForcibly().waitFor();
    Thread.sleep(500);
    long t0 = System.nanoTime();
    server = RunningTarget.start(target, port, config.out());
    progress.line(
        "sio-kill: restarted in "
            + (System.nanoTime() - t0) / 1_000_000
            + " ms; clients reconnect with their pid and offset");
    publisher.join();
    deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline
        && !clients.stream().allMatch(c -> ledger.accepted.stream().allMatch(c.got()::has)))
      Faults.sleep(200);
    long expected = 0,
        received = 0,
        lost = 0,
        dup = 0,
        reordered = 0,
        reconnects = 0,
        notRecovered = 0;
    for (SioCount c : clients) {
      expected += ledger.accepted.size();
      received += c.got().count();
      lost += c.got().missing(ledger.accepted);
      dup += c.got().duplicated();
      reordered += c.got().reordered();
      reconnects += c.client().reconnects();
      if (c.client().sessionLost()) notRecovered++;
    }
    clients.forEach(c -> c.client().stop());
    server.close();
    Faults.delete(dir);
    String verdict = lost == 0 && dup == 0 && reordered == 0 && notRecovered == 0 ? "PASS" : "FAIL";
    return new Tally(
        "sio-kill",
        clients.size(),
        pub.attempted(),
        ledger.accepted.size(),
        expected,
        received,
        lost,
        dup,
        reordered,
        reconnects,
        (clients.size() - notRecovered)
            + " of "
            + clients.size()
            + " sessions recovered (same socket id)",
        verdict,
        ledger.refused.get() + " broadcasts refused while down (not owed)");
  }
}
