package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * redis-failover, redis-cluster-failover, nats-server-kill and engine-partition (issue 23): three
 * push-hub nodes on an engine of the fault's own (Redis Sentinel: a master, two replicas, three
 * sentinels; a Redis Cluster: three masters with two replicas each; publishes acknowledged once a
 * replica has them; or three NATS servers with streams of three replicas), resuming clients and a
 * publisher that go to the nodes in turn, and a third of the way in the engine's master (Sentinel),
 * the master of push-hub's slot (Cluster) or one of its servers (NATS) SIGKILLed, or
 * (engine-partition, on the machine's Redis) node 0 cut from Redis for five seconds by a TCP proxy
 * that stops forwarding. No Herald node dies: the nodes must follow the engine through it. Every
 * accepted event must reach every client once, in order; the run reports how long publishes were
 * refused. The engines are {@link FaultedEngine}'s.
 */
final class EngineFault {
  static final int NODES = 3;
  private final ChaosConfig config;
  private final HttpClient http;
  private final Progress progress;
  private final Faults faults;

  EngineFault(ChaosConfig config, HttpClient http, Progress progress, Faults faults) {
    this.config = config;
    this.http = http;
    this.progress = progress;
    this.faults = faults;
  }

  Tally run(String name) throws Exception {
    // One prefix for all nodes: they share the channel.
    String prefix = "chaos-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (FaultedEngine engine = FaultedEngine.start(name, s -> progress.line(name + ": " + s));
        PushHubNodes nodes = new PushHubNodes(config, NODES, i -> env(engine, i, prefix))) {
      IntSupplier next = nodes.next();
      Ledger ledger = new Ledger();
      List<ResumingClient> all = faults.connect(next, config.clients());
      Faults.Publisher pub = new Faults.Publisher(http, next, config.rate(), ledger, 0);
      Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.seconds()));
      Thread.sleep((long) (config.seconds() * 1000 / 3));
      long faultAt = System.nanoTime();
      String what = engine.inject();
      progress.line(name + ": " + what);
      publisher.join();
      engine.restore();
      boolean caughtUp = faults.awaitCaughtUp(name, all, ledger);
      long last = ledger.lastRefusedNanos.get();
      String outage =
          ledger.refused.get()
              + " publishes refused"
              + (last > faultAt
                  ? ", the last " + (last - faultAt) / 1_000_000 + " ms after the fault began"
                  : ", none after it began");
      String setting = engine.setting().isEmpty() ? "" : " (" + engine.setting() + ")";
      Tally t =
          Faults.tally(
              name,
              all,
              ledger,
              pub,
              outage,
              (caughtUp ? "all clients caught up" : "not all clients caught up")
                  + "; "
                  + what
                  + setting);
      all.forEach(ResumingClient::stop);
      return t;
    }
  }

  private static Map<String, String> env(FaultedEngine engine, int node, String prefix) {
    Map<String, String> env = new HashMap<>(engine.env(node));
    env.putAll(
        Map.of(
            "HERALD_HOST",
            "127.0.0.1",
            "HERALD_ENGINE_PREFIX",
            prefix,
            "HERALD_HISTORY_SIZE",
            "1000000",
            "HERALD_HISTORY_TTL",
            "1h",
            "HERALD_EVENT_LOOPS",
            "1"));
    return env;
  }
}
