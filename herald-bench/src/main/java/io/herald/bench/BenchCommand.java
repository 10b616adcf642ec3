package io.herald.bench;

import io.herald.bench.cli.Nearest;
import io.herald.bench.scenario.BenchConfig;
import io.herald.bench.scenario.ReportBenchConfig;
import io.herald.bench.scenario.TelemetryBenchConfig;
import io.herald.bench.scenario.WriterBenchConfig;
import io.herald.bench.target.Affinity;
import io.herald.bench.target.Pinning;
import io.herald.bench.target.Target;
import io.herald.cli.Version;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald bench}: every option with its default, each value checked before a target starts.
 */
@Command(
    name = "herald bench",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    showDefaultValues = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Starts each target (Herald and the reference peers) on a free port, drives it with the load generator "
          + "and writes results.json, summary.md and SVG charts to "
          + "--out. A target this machine cannot run (a peer not built, "
          + "Node missing) is skipped and named in the summary; the run "
          + "goes on. Run from the repository root; see BENCHMARKS.md.",
      ""
    },
    footer = {
      "",
      "Scenarios: startup, fanout, fanout-go, cluster, steady, idle, "
          + "handshake (push-hub); sio-fanout, sio-steady, sio-targeted, "
          + "sio-idle (websocket); reports, catchup (report-listener); "
          + "shortpoll, longpoll (telemetry); writer, countsync (writer); "
          + "writer-load only queues chats and messages for a running writer.",
      "Targets: herald, go-gorilla, node-ws, nchan, c-floor, "
          + "herald-journal, herald-redis, herald-nats, herald-uring, herald-warm "
          + "(push-hub's contract); herald-sentinel, herald-sentinel-wait, "
          + "herald-redis-cluster, herald-nats-r3 (cluster only: engines the run starts); "
          + "herald-sio, node-socketio (Socket.IO). The report, telemetry and writer scenarios run on herald only."
    })
final class BenchCommand implements Callable<Integer> {
  static final List<String> SCENARIOS =
      List.of(
          "startup",
          "fanout",
          "fanout-go",
          "cluster",
          "steady",
          "idle",
          "handshake",
          "sio-fanout",
          "sio-steady",
          "sio-targeted",
          "sio-idle",
          "reports",
          "catchup",
          "shortpoll",
          "longpoll",
          "writer",
          "countsync",
          "writer-load");
  static final List<String> TARGETS =
      Stream.concat(Target.all(Path.of(".")).stream(), Target.socketIo(Path.of(".")).stream())
          .map(Target::name)
          .toList();
  static final List<String> STORES = List.of("memory", "redis");

  @Spec CommandSpec spec;

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "SCENARIO",
      defaultValue = "startup,fanout,steady,idle",
      completionCandidates = ScenarioNames.class,
      description = "scenarios to run, in order")
  List<String> scenarios;

  @Option(
      names = "--targets",
      split = ",",
      paramLabel = "TARGET",
      defaultValue = "herald,go-gorilla,node-ws,nchan,herald-sio,node-socketio",
      completionCandidates = TargetNames.class,
      description = "targets to measure; each scenario takes those that serve its contract")
  List<String> targets;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "bench-results",
      description = "where results go (under --root)")
  String out;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      defaultValue = ".",
      description = "the repository, where ./herald and bench/peers are")
  Path root;

  @Option(
      names = "--pin",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "the server under test on CPU 0 and the load generator on CPU 1 (taskset), each alone; --no-pin: "
              + "both on every core. Off, with a warning, on a machine of fewer than 2 cores")
  boolean pin;

  @Option(
      names = "--runs",
      defaultValue = "1",
      description = "repeat each scenario, targets alternating; the summary adds medians")
  int runs;

  @Option(
      names = "--render",
      paramLabel = "DIR",
      description = "redraw DIR's summary and charts from its results.json and exit")
  Path render;

  @Option(
      names = "--fanout-clients",
      defaultValue = "1000",
      description = "fanout, fanout-go, cluster, sio-fanout: receiving clients")
  int fanoutClients;

  @Option(
      names = "--publish-connections",
      defaultValue = "1",
      description =
          "cluster: HTTP connections the broadcasts are posted on to the first node, round-robin; "
              + "more than one lets the node have that many publishes in flight in the engine (Lettuce "
              + "pipelines them on its one Redis connection); the order check then holds per connection")
  int publishConnections;

  @Option(
      names = "--fanout-rates",
      split = ",",
      paramLabel = "RATE",
      defaultValue = "50,100,200,300,400,600,800,1000,1200,1600",
      description =
          "fan-out publish rates (messages/s), stepped through until p99 > 50 ms or loss > 0.1%%")
  List<Double> fanoutRates;

  @Option(
      names = "--idle-clients",
      defaultValue = "19000",
      description = "idle, sio-idle: connections held open; handshake: connections a round")
  int idleClients;

  @Option(
      names = "--steady-clients",
      split = ",",
      paramLabel = "N",
      defaultValue = "5000",
      description =
          "steady, sio-steady: client counts, each a run of its own (the last also sizes sio-targeted)")
  List<Integer> steadyClients;

  @Option(
      names = "--steady-rate",
      defaultValue = "20",
      description = "steady: publishes per second")
  double steadyRate;

  @Option(
      names = "--steady-warmup",
      defaultValue = "3",
      description = "steady: seconds at the rate before the measured 20 s")
  double steadyWarmup;

  @Option(names = "--step-seconds", defaultValue = "5", description = "seconds per fan-out step")
  double stepSeconds;

  @Option(
      names = "--source-addresses",
      defaultValue = "10",
      description = "local addresses (127.0.0.x) the clients connect from")
  int sourceAddresses;

  @Option(
      names = "--deflate",
      arity = "0..1",
      defaultValue = "false",
      fallbackValue = "true",
      description = "receiving clients offer permessage-deflate (--deflate or --deflate true)")
  boolean deflate;

  @Option(
      names = "--reports-clients",
      defaultValue = "1000",
      description = "reports: clients following the reports feed")
  int reportsClients;

  @Option(
      names = "--reports-rate",
      defaultValue = "1000",
      description = "reports: rows inserted per second")
  double reportsRate;

  @Option(
      names = "--reports-seconds",
      defaultValue = "20",
      description = "reports: how long rows are inserted")
  double reportsSeconds;

  @Option(
      names = "--reports-interval-ms",
      defaultValue = "1000",
      description = "reports: report-listener's broadcast interval")
  long reportsIntervalMs;

  @Option(
      names = "--catchup-clients",
      defaultValue = "10",
      description = "catchup: clients reading the backlog")
  int catchupClients;

  @Option(
      names = "--catchup-backlog",
      defaultValue = "100000",
      description = "catchup: rows waiting before the service starts")
  int catchupBacklog;

  @Option(
      names = "--stores",
      split = ",",
      paramLabel = "STORE",
      defaultValue = "memory,redis",
      completionCandidates = StoreNames.class,
      description = "shortpoll, longpoll: telemetry's stores (${COMPLETION-CANDIDATES})")
  List<String> stores;

  @Option(
      names = "--short-connections",
      split = ",",
      paramLabel = "N",
      defaultValue = "16,32,64",
      description = "shortpoll: concurrent connections")
  List<Integer> shortConnections;

  @Option(
      names = "--short-seconds",
      defaultValue = "10",
      description = "shortpoll: seconds per step")
  double shortSeconds;

  @Option(
      names = "--long-polls",
      defaultValue = "10000",
      description = "longpoll: parked long polls")
  int longPolls;

  @Option(
      names = "--long-rate",
      defaultValue = "500",
      description = "longpoll: events published per second")
  double longRate;

  @Option(names = "--long-seconds", defaultValue = "20", description = "longpoll: how long it runs")
  double longSeconds;

  @Option(
      names = "--writer-prefetch",
      split = ",",
      paramLabel = "N",
      defaultValue = "1,200",
      description = "writer: consumer prefetch values, a run each")
  List<Integer> writerPrefetch;

  @Option(
      names = "--writer-messages",
      defaultValue = "100000",
      description = "writer, writer-load: messages queued")
  int writerMessages;

  @Option(
      names = "--writer-slow-messages",
      defaultValue = "10000",
      description = "writer: messages for the prefetch 1 run")
  int writerSlowMessages;

  @Option(
      names = "--writer-chats",
      defaultValue = "100",
      description = "writer, writer-load: chats the messages belong to")
  int writerChats;

  @Option(
      names = "--count-sync-counters",
      defaultValue = "100000",
      description = "countsync: counters to synchronise")
  int countSyncCounters;

  @Option(
      names = "--rabbitmq-url",
      paramLabel = "URL",
      defaultValue = "amqp://guest:guest@127.0.0.1:5672/",
      showDefaultValue = CommandLine.Help.Visibility.NEVER,
      description =
          "writer-load: the broker (default: amqp://127.0.0.1:5672/ as guest; the password is not shown)")
  String rabbitmqUrl;

  @Option(
      names = "--token",
      defaultValue = "bench",
      description = "writer-load: the token of the queued messages")
  String token;

  @Override
  public Integer call() throws Exception {
    if (render != null) return BenchMain.render(render);
    check();
    if (scenarios.equals(List.of("writer-load")))
      return BenchMain.writerLoad(rabbitmqUrl, token, writerChats, writerMessages);
    Path base = root.toAbsolutePath().normalize();
    BenchConfig cfg =
        new BenchConfig(
            scenarios,
            targets,
            fanoutClients,
            publishConnections,
            fanoutRates,
            idleClients,
            steadyClients,
            steadyRate,
            steadyWarmup,
            stepSeconds,
            sourceAddresses,
            new ReportBenchConfig(
                reportsClients,
                reportsRate,
                reportsSeconds,
                reportsIntervalMs,
                catchupClients,
                catchupBacklog),
            new TelemetryBenchConfig(
                stores, shortConnections, shortSeconds, longPolls, longRate, longSeconds),
            new WriterBenchConfig(
                writerPrefetch, writerMessages, writerSlowMessages, writerChats, countSyncCounters),
            deflate,
            pinning(),
            base,
            base.resolve(out));
    return BenchMain.run(cfg, runs, spec.commandLine().getParseResult().originalArgs());
  }

  private Pinning pinning() {
    return Pinning.choose(
        pin,
        Runtime.getRuntime().availableProcessors(),
        Affinity.available(),
        why -> System.err.println("[bench] " + why));
  }

  /** Every name and number, before a target starts. */
  void check() {
    names("scenario", "--scenarios", scenarios, SCENARIOS);
    if (scenarios.contains("writer-load") && scenarios.size() > 1)
      fail("--scenarios: writer-load runs alone (it only queues messages)");
    names("target", "--targets", targets, TARGETS);
    names("store", "--stores", stores, STORES);
    atLeast("--runs", runs, 1);
    atLeast("--fanout-clients", fanoutClients, 1);
    atLeast("--publish-connections", publishConnections, 1);
    fanoutRates.forEach(r -> above("--fanout-rates", r));
    atLeast("--idle-clients", idleClients, 1);
    steadyClients.forEach(n -> atLeast("--steady-clients", n, 1));
    above("--steady-rate", steadyRate);
    if (!(steadyWarmup >= 0)) fail("--steady-warmup=" + steadyWarmup + ": expected 0 or more");
    above("--step-seconds", stepSeconds);
    if (sourceAddresses < 1 || sourceAddresses > 254)
      fail("--source-addresses=" + sourceAddresses + ": expected 1 to 254");
    atLeast("--reports-clients", reportsClients, 1);
    above("--reports-rate", reportsRate);
    above("--reports-seconds", reportsSeconds);
    atLeast("--reports-interval-ms", reportsIntervalMs, 1);
    atLeast("--catchup-clients", catchupClients, 1);
    atLeast("--catchup-backlog", catchupBacklog, 0);
    shortConnections.forEach(n -> atLeast("--short-connections", n, 1));
    above("--short-seconds", shortSeconds);
    atLeast("--long-polls", longPolls, 1);
    above("--long-rate", longRate);
    above("--long-seconds", longSeconds);
    writerPrefetch.forEach(n -> atLeast("--writer-prefetch", n, 1));
    atLeast("--writer-messages", writerMessages, 1);
    atLeast("--writer-slow-messages", writerSlowMessages, 1);
    atLeast("--writer-chats", writerChats, 1);
    atLeast("--count-sync-counters", countSyncCounters, 1);
  }

  private void names(String what, String option, List<String> given, List<String> known) {
    if (given.isEmpty()) fail(option + ": name at least one " + what);
    for (String g : given)
      if (!known.contains(g)) fail(option + ": " + Nearest.unknown(what, g, known));
  }

  private void atLeast(String option, long v, long min) {
    if (v < min) fail(option + "=" + v + ": expected " + min + " or more");
  }

  private void above(String option, double v) {
    if (!(v > 0))
      fail(
          option
              + "="
              + (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v))
              + ": expected a number above 0");
  }

  private void fail(String message) {
    throw new ParameterException(spec.commandLine(), message);
  }

  static final class ScenarioNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return SCENARIOS.iterator();
    }
  }

  static final class TargetNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return TARGETS.iterator();
    }
  }

  static final class StoreNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return STORES.iterator();
    }
  }
}
