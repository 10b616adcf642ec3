package io.herald.bench;

import io.herald.bench.report.Report;
import io.herald.bench.report.Results;
import io.herald.bench.scenario.BenchConfig;
import io.herald.bench.scenario.ReportBenchConfig;
import io.herald.bench.scenario.TelemetryBenchConfig;
import io.herald.bench.scenario.WriterBenchConfig;
import io.herald.bench.scenario.Scenarios;
import io.herald.bench.target.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./herald bench [--scenarios fanout,fanout-go,cluster,idle,steady,startup,sio-fanout,sio-steady,sio-targeted,sio-idle] [--targets herald,go-gorilla,node-ws,herald-sio,node-socketio,c-floor,herald-journal,herald-redis,herald-nats,herald-uring,herald-warm] [--out DIR]
 * [--runs 1] [--fanout-clients 1000] [--fanout-rates 100,200,...] [--idle-clients 19000]
 * [--steady-clients 5000 or a list: 500,1000,5000] [--steady-rate 20] [--steady-warmup 3] [--step-seconds 5]}; report-listener scenarios {@code reports,catchup} take [--reports-clients 1000]
 * [--reports-rate 1000] [--reports-seconds 20] [--reports-interval-ms 1000] [--catchup-clients 10] [--catchup-backlog 100000];
 * telemetry scenarios {@code shortpoll,longpoll} take [--stores memory,redis] [--short-connections 16,32,64] [--short-seconds 10]
 * [--long-polls 10000] [--long-rate 500] [--long-seconds 20];
 * writer scenarios {@code writer,countsync} take [--writer-prefetch 1,200] [--writer-messages 100000] [--writer-slow-messages 10000]
 * [--writer-chats 100] [--count-sync-counters 100000], or {@code --render DIR} to redraw DIR's summary and charts. Run from the repository root; peers are built by bench/peers/build-go.sh and build-c-floor.sh.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option value, got " + args[i]);
      o.put(args[i].substring(2), args[i + 1]);
    }
    if (o.containsKey("render")) {  // redraw summary and charts from an earlier run's results.json
      Path dir = Path.of(o.get("render"));
      Report.write(new com.fasterxml.jackson.databind.ObjectMapper().readValue(dir.resolve("results.json").toFile(), Results.class), dir);
      return;
    }
    if (o.getOrDefault("scenarios", "").equals("writer-load")) {  // queue chats and messages for a running writer
      io.herald.bench.scenario.WriterScenarios.fill(o.getOrDefault("rabbitmq-url", "amqp://guest:guest@127.0.0.1:5672/"),
          o.getOrDefault("token", "bench"), Integer.parseInt(o.getOrDefault("writer-chats", "100")),
          Integer.parseInt(o.getOrDefault("writer-messages", "100000")), new io.herald.bench.load.Progress("[writer-load]"));
      System.err.println("[writer-load] done");
      return;
    }
    Path root = Path.of(o.getOrDefault("root", ".")).toAbsolutePath().normalize();
    BenchConfig cfg = new BenchConfig(
        List.of(o.getOrDefault("scenarios", "startup,fanout,steady,idle").split(",")),
        List.of(o.getOrDefault("targets", "herald,go-gorilla,node-ws,herald-sio,node-socketio").split(",")),
        Integer.parseInt(o.getOrDefault("fanout-clients", "1000")),
        Arrays.stream(o.getOrDefault("fanout-rates", "50,100,200,300,400,600,800,1000,1200,1600").split(",")).map(Double::valueOf).toList(),
        Integer.parseInt(o.getOrDefault("idle-clients", "19000")),
        Arrays.stream(o.getOrDefault("steady-clients", "5000").split(",")).map(Integer::valueOf).toList(),
        Double.parseDouble(o.getOrDefault("steady-rate", "20")),
        Double.parseDouble(o.getOrDefault("steady-warmup", "3")),
        Double.parseDouble(o.getOrDefault("step-seconds", "5")),
        Integer.parseInt(o.getOrDefault("source-addresses", "10")),
        new ReportBenchConfig(Integer.parseInt(o.getOrDefault("reports-clients", "1000")),
            Double.parseDouble(o.getOrDefault("reports-rate", "1000")), Double.parseDouble(o.getOrDefault("reports-seconds", "20")),
            Long.parseLong(o.getOrDefault("reports-interval-ms", "1000")), Integer.parseInt(o.getOrDefault("catchup-clients", "10")),
            Integer.parseInt(o.getOrDefault("catchup-backlog", "100000"))),
        new TelemetryBenchConfig(List.of(o.getOrDefault("stores", "memory,redis").split(",")),
            Arrays.stream(o.getOrDefault("short-connections", "16,32,64").split(",")).map(Integer::valueOf).toList(),
            Double.parseDouble(o.getOrDefault("short-seconds", "10")), Integer.parseInt(o.getOrDefault("long-polls", "10000")),
            Double.parseDouble(o.getOrDefault("long-rate", "500")), Double.parseDouble(o.getOrDefault("long-seconds", "20"))),
        new WriterBenchConfig(Arrays.stream(o.getOrDefault("writer-prefetch", "1,200").split(",")).map(Integer::valueOf).toList(),
            Integer.parseInt(o.getOrDefault("writer-messages", "100000")), Integer.parseInt(o.getOrDefault("writer-slow-messages", "10000")),
            Integer.parseInt(o.getOrDefault("writer-chats", "100")), Integer.parseInt(o.getOrDefault("count-sync-counters", "100000"))),
        Boolean.parseBoolean(o.getOrDefault("deflate", "false")),
        root, root.resolve(o.getOrDefault("out", "bench-results")));
    Files.createDirectories(cfg.out());
    // Each scenario family has its own targets (push-hub's contract, Socket.IO's); --targets picks by name among them.
    List<Target> pushHub = Target.all(root).stream().filter(t -> cfg.targets().contains(t.name())).toList();
    List<Target> socketIo = Target.socketIo(root).stream().filter(t -> cfg.targets().contains(t.name())).toList();
    List<Target> heraldOnly = pushHub.stream().filter(t -> t.name().equals("herald")).toList();  // the other services' scenarios
    Results results = Results.empty("./herald bench " + String.join(" ", args), Instant.now().toString(),
        Runtime.getRuntime().availableProcessors() + " cores, " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap (load generator)");
    Scenarios s = new Scenarios(cfg, results);
    // --runs N repeats each scenario N times, the targets alternating within every round, and the summary adds the
    // median of the runs per step: one run on a shared 2-core machine varies by a third at one step (BENCHMARKS).
    int runs = Integer.parseInt(o.getOrDefault("runs", "1"));
    try {
      for (String scenario : cfg.scenarios()) for (int round = 1; round <= runs; round++) {
        if (runs > 1) System.err.printf("[bench] %s: run %d of %d%n", scenario, round, runs);
        switch (scenario) {
          case "fanout" -> each(pushHub, s::fanout, results, cfg);
          case "fanout-go" -> each(pushHub, s::fanoutGo, results, cfg);  // the third-party generator (issue 15)
          // three nodes on a shared engine (issue 12): herald (Redis), herald-redis, herald-nats
          case "cluster" -> each(pushHub.stream().filter(t -> t.name().matches("herald(-redis|-nats)?")).toList(), s::cluster, results, cfg);
          case "steady" -> each(pushHub, s::steady, results, cfg);
          case "idle" -> each(pushHub, s::idle, results, cfg);
          case "startup" -> each(pushHub, s::startup, results, cfg);
          case "sio-fanout" -> each(socketIo, s::sioFanout, results, cfg);  // websocket (seed 003)
          case "sio-steady" -> each(socketIo, s::sioSteady, results, cfg);
          case "sio-targeted" -> each(socketIo, s::sioTargeted, results, cfg);
          case "sio-idle" -> each(socketIo, s::sioIdle, results, cfg);
          case "reports", "catchup" -> each(heraldOnly, t -> s.reports(scenario), results, cfg);  // report-listener (issue 3)
          case "shortpoll", "longpoll" -> each(heraldOnly, t -> s.telemetry(scenario), results, cfg);  // telemetry (issue 4)
          case "writer", "countsync" -> each(heraldOnly, t -> s.writer(scenario), results, cfg);  // writer (issue 5)
          default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
      }
    } finally {
      s.close();
    }
    System.out.println(Files.readString(cfg.out().resolve("summary.md")));
  }

  /** One scenario against one target. */
  private interface Run {
    void on(Target t) throws Exception;
  }

  /** Runs {@code run} on each target, writing the results after every one, so a long run leaves partial results. */
  private static void each(List<Target> targets, Run run, Results results, BenchConfig cfg) throws Exception {
    if (targets.isEmpty()) System.err.println("[bench] no target of --targets " + String.join(",", cfg.targets()) + " serves this scenario");
    for (Target t : targets) {
      run.on(t);
      Report.write(results, cfg.out());
    }
  }
}
