package io.herald.bench.scenario;

import io.herald.bench.load.Progress;
import io.herald.bench.load.Publisher;
import io.herald.bench.load.RawClients;
import io.herald.bench.report.Results;
import io.herald.bench.report.StepResult;
import io.herald.bench.target.ProcStats;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 12's cluster figures: the fan-out steps with the clients spread over three push-hub nodes that share the
 * machine's Redis (HERALD_ENGINE=redis), publishing to one of them, and a fourth node with no client at all, whose
 * CPU shows what a node spends on channels it does not serve. Server CPU is the three nodes' sum; Redis's own CPU
 * and the idle node's are reported beside it as steps of their own ("cluster-redis", "cluster-idle-node"). Each node
 * runs one event loop: four JVMs share the machine's cores.
 */
final class ClusterScenario {
  static final int NODES = 3;
  private final BenchConfig config;
  private final Results results;
  private final Vertx vertx;

  ClusterScenario(BenchConfig config, Results results, Vertx vertx) {
    this.config = config;
    this.results = results;
    this.vertx = vertx;
  }

  void run(Target herald) throws Exception {
    Progress p = new Progress("[cluster]");
    Map<String, String> env = new HashMap<>(herald.env());
    env.put("HERALD_ENGINE", "redis");
    env.put("HERALD_ENGINE_PREFIX", "bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    // Four JVMs on the machine's cores: one event loop each (the default, two per core, would give the three serving
    // nodes twelve loops against the single node's four).
    env.put("HERALD_EVENT_LOOPS", System.getProperty("herald.cluster.loops", "1"));
    List<RunningTarget> nodes = new ArrayList<>();
    try {
      for (int i = 0; i <= NODES; i++) {
        nodes.add(RunningTarget.start(new Target("herald-node" + i, herald.command(), env), Scenarios.freePort(), config.out()));
      }
      RunningTarget idle = nodes.get(NODES);
      long redisPid = redisPid();
      try (RawClients pool = new RawClients(2, config.sourceAddresses(), config.deflate(), false)) {
        int clients = config.fanoutClients();
        for (int i = 0; i < NODES; i++) pool.connect(nodes.get(i).port, "/ws", clients / NODES + (i < clients % NODES ? 1 : 0), p);
        Publisher pub = new Publisher(vertx, nodes.getFirst().port);
        List<RunningTarget> serving = nodes.subList(0, NODES);
        java.util.function.Supplier<ProcStats> sum = () -> serving.stream().map(RunningTarget::stats)
            .reduce(new ProcStats(0, 0), (a, b) -> new ProcStats(a.rssBytes() + b.rssBytes(), a.cpuSeconds() + b.cpuSeconds()));
        String name = "herald-" + NODES + "-nodes-redis";
        Steps.run("warmup", name, sum, pool, pub, clients, 100, 3, p, null, null);
        for (double rate : config.fanoutRates()) {
          ProcStats idle0 = idle.stats();
          ProcStats redis0 = redisPid > 0 ? ProcStats.of(redisPid) : null;
          StepResult r = Steps.run("cluster", name, sum, pool, pub, clients, rate, config.stepSeconds(), p, null, null);
          results.steps().add(r);
          ProcStats idle1 = idle.stats();
          double idleCpu = idle1.cpuSeconds() - idle0.cpuSeconds();
          results.steps().add(new StepResult("cluster-idle-node", "herald-node-without-clients", 0, rate, r.accepted(), 0, 0, 0, 0, 0, 0, 0, 0,
              idleCpu, 0, idle1.rssBytes()));
          double redisCpu = 0;
          if (redis0 != null) {
            ProcStats redis1 = ProcStats.of(redisPid);
            redisCpu = redis1.cpuSeconds() - redis0.cpuSeconds();
            results.steps().add(new StepResult("cluster-redis", "redis-server", 0, rate, r.accepted(), 0, 0, 0, 0, 0, 0, 0, 0, redisCpu, 0,
                redis1.rssBytes()));
          }
          p.line(String.format("rate=%.0f/s: idle node cpu=%.2fs, redis cpu=%.2fs", rate, idleCpu, redisCpu));
          if (r.lossPercent() > Scenarios.MAX_LOSS_PERCENT) break;  // every rate asked for, whatever the p99: a comparison
        }
        pub.close();
      }
    } finally {
      for (RunningTarget n : nodes) n.close();
    }
  }

  /** The machine's redis-server (the one on 6379), or 0 when there is none to read. */
  static long redisPid() {
    try (var procs = Files.list(Path.of("/proc"))) {
      return procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).filter(d -> {
        try {
          String cmd = Files.readString(d.resolve("cmdline")).replace('\0', ' ');
          return cmd.startsWith("redis-server") && cmd.contains(":6379");
        } catch (IOException e) {
          return false;
        }
      }).mapToLong(d -> Long.parseLong(d.getFileName().toString())).findFirst().orElse(0);
    } catch (IOException e) {
      return 0;
    }
  }
}
