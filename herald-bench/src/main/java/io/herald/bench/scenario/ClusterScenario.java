package io.herald.bench.scenario;

import io.herald.bench.load.Progress;
import io.herald.bench.load.Publisher;
import io.herald.bench.load.RawClients;
import io.herald.bench.report.Results;
import io.herald.bench.report.StepResult;
import io.herald.bench.target.ProcStats;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.EngineServers;
import io.herald.testkit.NatsClusterSet;
import io.herald.testkit.Ports;
import io.herald.testkit.RedisClusterSet;
import io.herald.testkit.RedisSentinelSet;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Issue 12's cluster figures: the fan-out steps with the clients spread over three push-hub nodes
 * that share the machine's Redis (HERALD_ENGINE=redis; target herald or herald-redis) or NATS
 * (HERALD_ENGINE=nats; target herald-nats), publishing to one of them, and a fourth node with no
 * client at all, whose CPU shows what a node spends on channels it does not serve. Server CPU is
 * the three nodes' sum; the engine server's own CPU and the idle node's are reported beside it as
 * steps of their own ("cluster-redis" or "cluster-nats", "cluster-idle-node"). Each node runs one
 * event loop: four JVMs share the machine's cores.
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
    String topology = herald.env().getOrDefault("BENCH_TOPOLOGY", "");
    Progress p = new Progress("[cluster]");
    if (!topology.isEmpty()) p.line("starting the engine's topology: " + topology);
    try (EngineServers engine =
        switch (topology) {
          case "sentinel" -> new RedisSentinelSet(2).start();
          case "redis-cluster" -> new RedisClusterSet(1).start();
          case "nats-r3" -> new NatsClusterSet().start();
          default -> null; // the machine's own Redis or NATS
        }) {
      Map<String, String> env = new HashMap<>(herald.env());
      env.remove("BENCH_TOPOLOGY");
      if (engine != null) env.putAll(engine.env());
      List<Long> enginePids = engine == null ? List.of() : engine.pids();
      run(
          herald,
          env,
          topology.isEmpty() ? null : herald.name().replaceFirst("^herald-", ""),
          enginePids,
          p);
    }
  }

  /**
   * @param label the engine's name in the step names ("sentinel-wait", "nats-r3"), or null for the
   *     machine's own
   * @param enginePids the topology's processes, whose CPU together is the engine's (empty: the
   *     machine's server)
   */
  private void run(
      Target herald, Map<String, String> env, String label, List<Long> enginePids, Progress p)
      throws Exception {
    String engine = env.getOrDefault("HERALD_ENGINE", "redis");
    env.put("HERALD_ENGINE", engine);
    env.put(
        "HERALD_ENGINE_PREFIX", "bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    // Four JVMs on the machine's cores: one event loop each (the default, two per core, would give
    // the three serving
    // nodes twelve loops against the single node's four).
    env.put("HERALD_EVENT_LOOPS", System.getProperty("herald.cluster.loops", "1"));
    List<RunningTarget> nodes = new ArrayList<>();
    try {
      for (int i = 0; i <= NODES; i++) {
        nodes.add(
            RunningTarget.start(
                new Target("herald-node" + i, herald.command(), env), Ports.free(), config.out()));
      }
      RunningTarget idle = nodes.get(NODES);
      List<Long> serverPids =
          !enginePids.isEmpty()
              ? enginePids
              : List.of(
                  serverPid(
                      engine.equals("nats") ? "nats-server" : "redis-server",
                      engine.equals("nats") ? "4222" : ":6379"));
      String server = label != null ? label : engine;
      try (RawClients pool = new RawClients(2, config.sourceAddresses(), config.deflate(), false)) {
        int clients = config.fanoutClients();
        for (int i = 0; i < NODES; i++)
          pool.connect(
              nodes.get(i).port, "/ws", clients / NODES + (i < clients % NODES ? 1 : 0), p);
        Publisher pub = new Publisher(vertx, nodes.getFirst().port, config.publishConnections());
        pool.orderStreams(config.publishConnections());
        List<RunningTarget> serving = nodes.subList(0, NODES);
        Supplier<ProcStats> sum =
            () ->
                serving.stream()
                    .map(RunningTarget::stats)
                    .reduce(new ProcStats(0, 0), ProcStats::plus);
        String name =
            "herald-"
                + NODES
                + "-nodes-"
                + server
                + (config.publishConnections() > 1
                    ? "-" + config.publishConnections() + "-publishers"
                    : "");
        Steps.run("warmup", name, sum, pool, pub, clients, 100, 3, p, null, null);
        for (double rate : config.fanoutRates()) {
          ProcStats idle0 = idle.stats();
          ProcStats server0 = engineStats(serverPids);
          StepResult r =
              Steps.run(
                  "cluster",
                  name,
                  sum,
                  pool,
                  pub,
                  clients,
                  rate,
                  config.stepSeconds(),
                  p,
                  null,
                  null);
          results.steps().add(r);
          ProcStats idle1 = idle.stats();
          double idleCpu = idle1.cpuSeconds() - idle0.cpuSeconds();
          results
              .steps()
              .add(
                  new StepResult(
                      "cluster-idle-node",
                      "herald-node-without-clients",
                      0,
                      rate,
                      r.accepted(),
                      0,
                      0,
                      0,
                      0,
                      0,
                      0,
                      0,
                      0,
                      idleCpu,
                      0,
                      idle1.rssBytes()));
          double serverCpu = 0;
          if (server0 != null) {
            ProcStats server1 = engineStats(serverPids);
            serverCpu = server1.cpuSeconds() - server0.cpuSeconds();
            results
                .steps()
                .add(
                    new StepResult(
                        "cluster-" + server,
                        label != null
                            ? label + "-processes"
                            : engine.equals("nats") ? "nats-server" : "redis-server",
                        0,
                        rate,
                        r.accepted(),
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        serverCpu,
                        0,
                        server1.rssBytes()));
          }
          p.line(
              String.format(
                  "rate=%.0f/s: idle node cpu=%.2fs, %s cpu=%.2fs",
                  rate, idleCpu, server, serverCpu));
          if (r.lossPercent() > Scenarios.MAX_LOSS_PERCENT)
            break; // every rate asked for, whatever the p99: a comparison
        }
        pub.close();
      }
    } finally {
      for (RunningTarget n : nodes) n.close();
    }
  }

  /** The engine's processes summed (RSS and CPU), or null when there is none to read. */
  private static ProcStats engineStats(List<Long> pids) {
    List<Long> live = pids.stream().filter(pid -> pid > 0).toList();
    if (live.isEmpty()) return null;
    return live.stream().map(ProcStats::of).reduce(new ProcStats(0, 0), ProcStats::plus);
  }

  /**
   * The machine's engine server (redis-server on 6379, nats-server on 4222), or 0 when there is
   * none to read.
   */
  static long serverPid(String program, String port) {
    try (var procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(
              d -> {
                try {
                  String cmd = Files.readString(d.resolve("cmdline")).replace('\0', ' ');
                  return cmd.contains(program) && cmd.contains(port);
                } catch (IOException e) {
                  return false;
                }
              })
          .mapToLong(d -> Long.parseLong(d.getFileName().toString()))
          .findFirst()
          .orElse(0);
    } catch (IOException e) {
      return 0;
    }
  }
}
