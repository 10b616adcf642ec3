package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * cluster-kill (issue 12): three push-hub nodes on the machine's Redis (HERALD_ENGINE=redis),
 * resuming clients and a publisher that go to the nodes in turn, and every quarter of the run one
 * node killed with SIGKILL and started again a second later. A client whose node dies reconnects to
 * the next one with {@code ?since=}; the publisher's requests to a dead node fail and are not owed
 * to anyone. Every accepted event must reach every client once, in order.
 */
final class ClusterFault {
  static final int NODES = 3;
  private final ChaosConfig config;
  private final HttpClient http;
  private final Progress progress;
  private final Faults faults;

  ClusterFault(ChaosConfig config, HttpClient http, Progress progress, Faults faults) {
    this.config = config;
    this.http = http;
    this.progress = progress;
    this.faults = faults;
  }

  Tally run() throws Exception {
    String prefix = "chaos-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Map<String, String> env =
        Map.of(
            "HERALD_HOST",
            "127.0.0.1",
            "HERALD_ENGINE",
            "redis",
            "HERALD_ENGINE_PREFIX",
            prefix,
            "HERALD_HISTORY_SIZE",
            "1000000",
            "HERALD_HISTORY_TTL",
            "1h",
            "HERALD_EVENT_LOOPS",
            "1");
    try (PushHubNodes nodes = new PushHubNodes(config, NODES, i -> env)) {
      return run(nodes);
    }
  }

  private Tally run(PushHubNodes nodes) throws Exception {
    IntSupplier next = nodes.next();
    Ledger ledger = new Ledger();
    List<ResumingClient> all = faults.connect(next, config.clients());
    Faults.Publisher pub = new Faults.Publisher(http, next, config.rate(), ledger, 0);
    Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.seconds()));
    long quarter = (long) (config.seconds() * 1000 / 4);
    int kills = 0;
    for (int k = 0; k < 3; k++) {
      Thread.sleep(quarter);
      int victim = k % NODES;
      progress.line(
          "cluster-kill: SIGKILL to node "
              + victim
              + " (pid "
              + nodes.running[victim].process.pid()
              + ")");
      nodes.running[victim].process.destroyForcibly().waitFor();
      kills++;
      Thread.sleep(1000);
      nodes.restart(victim);
      progress.line("cluster-kill: node " + victim + " started again");
    }
    publisher.join();
    boolean caughtUp = faults.awaitCaughtUp("cluster-kill", all, ledger);
    Tally t =
        Faults.tally(
            "cluster-kill",
            all,
            ledger,
            pub,
            "",
            (caughtUp ? "all clients caught up" : "not all clients caught up")
                + " after "
                + kills
                + " nodes killed with SIGKILL, one at a time, of "
                + NODES
                + " sharing Redis");
    all.forEach(ResumingClient::stop);
    return t;
  }
}
