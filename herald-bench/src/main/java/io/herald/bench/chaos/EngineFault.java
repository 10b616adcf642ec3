package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import io.herald.testkit.NatsClusterSet;
import io.herald.testkit.RedisSentinelSet;
import io.herald.testkit.TcpProxy;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * redis-failover, nats-server-kill and engine-partition (issue 23): three push-hub nodes on an engine of the fault's own (Redis
 * Sentinel: a master, two replicas, three sentinels, publishes acknowledged once a replica has them; or three NATS
 * servers with streams of three replicas), resuming clients and a publisher that go to the nodes in turn, and a third
 * of the way in the engine's master (Redis) or one of its servers (NATS) SIGKILLed, or (engine-partition, on the
 * machine's Redis) node 0 cut from Redis for five seconds by a TCP proxy that stops forwarding. No Herald node dies: the nodes
 * must follow the engine through it. Every accepted event must reach every client once, in order; the run reports
 * how long publishes were refused.
 */
final class EngineFault {
  static final int NODES = 3;
  static final long PARTITION_MS = 5000;
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
    boolean redis = name.equals("redis-failover"), partition = name.equals("engine-partition");
    progress.line(name + ": starting " + (redis ? "Redis Sentinel (a master, two replicas, three sentinels)"
        : partition ? "a TCP proxy between node 0 and the machine's Redis" : "three NATS servers"));
    try (RedisSentinelSet sentinel = redis ? new RedisSentinelSet(2).start() : null;
        NatsClusterSet nats = redis || partition ? null : new NatsClusterSet().start();
        TcpProxy proxy = partition ? new TcpProxy(6379) : null) {
      Map<String, String> env = new HashMap<>(redis ? sentinel.env() : partition
          ? Map.of("HERALD_ENGINE", "redis", "REDIS_URL", "redis://127.0.0.1:6379") : nats.env());
      if (redis) env.put("HERALD_REDIS_MIN_REPLICAS", "1");
      env.putAll(Map.of("HERALD_HOST", "127.0.0.1", "HERALD_ENGINE_PREFIX", "chaos-" + ProcessHandle.current().pid() + "-" + System.nanoTime(),
          "HERALD_HISTORY_SIZE", "1000000", "HERALD_HISTORY_TTL", "1h", "HERALD_EVENT_LOOPS", "1"));
      try (PushHubNodes nodes = new PushHubNodes(config, NODES, i -> {
        Map<String, String> own = new HashMap<>(env);
        if (partition && i == 0) own.put("REDIS_URL", "redis://127.0.0.1:" + proxy.port());  // node 0 reaches Redis through the proxy
        return own;
      })) {
        java.util.function.IntSupplier next = nodes.next();
        Ledger ledger = new Ledger();
        List<ResumingClient> all = faults.connect(next, config.clients());
        Faults.Publisher pub = new Faults.Publisher(http, next, config.rate(), ledger, 0);
        Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.seconds()));
        Thread.sleep((long) (config.seconds() * 1000 / 3));
        long killedAt = System.nanoTime();
        String what;
        if (redis) {
          long ms = sentinel.killMaster();
          what = "the Sentinel master SIGKILLed; a replica promoted in " + ms + " ms";
        } else if (partition) {
          proxy.partition();
          Thread.sleep(PARTITION_MS);
          proxy.heal();
          what = "node 0 cut from Redis for " + PARTITION_MS / 1000 + " s (silently: no byte either way, no connection closed), then reconnected";
        } else {
          nats.kill(0);
          what = "one of three NATS servers SIGKILLed";
        }
        progress.line(name + ": " + what);
        publisher.join();
        if (nats != null) nats.restart(0);
        boolean caughtUp = faults.awaitCaughtUp(name, all, ledger);
        long last = ledger.lastRefusedNanos.get();
        String outage = ledger.refused.get() + " publishes refused" + (last > killedAt
            ? ", the last " + (last - killedAt) / 1_000_000 + " ms after the fault began" : ", none after it began");
        Tally t = Faults.tally(name, all, ledger, pub, outage, (caughtUp ? "all clients caught up" : "not all clients caught up")
            + "; " + what + (redis ? " (HERALD_REDIS_MIN_REPLICAS=1)" : partition ? "" : " (HERALD_NATS_REPLICAS=3)"));
        all.forEach(ResumingClient::stop);
        return t;
      }
    }
  }
}
