package io.herald.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.bench.load.Progress;
import io.herald.bench.report.Report;
import io.herald.bench.report.Results;
import io.herald.bench.scenario.BenchConfig;
import io.herald.bench.scenario.Scenarios;
import io.herald.bench.scenario.WriterScenarios;
import io.herald.bench.target.Prerequisites;
import io.herald.bench.target.Target;
import io.herald.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * {@code ./herald bench}: runs the chosen scenarios against the chosen targets and writes the
 * report. The options and their checks are {@link BenchCommand}'s; {@code herald bench --help}
 * lists them.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(Cli.execute(commandLine(), args));
  }

  /** The command and its options (help, completion). */
  public static CommandLine commandLine() {
    return new CommandLine(new BenchCommand());
  }

  /** Redraws summary and charts from an earlier run's results.json. */
  static int render(Path dir) throws Exception {
    Path json = dir.resolve("results.json");
    if (!Files.isRegularFile(json))
      throw new IllegalArgumentException("--render " + dir + ": no results.json there");
    Report.write(new ObjectMapper().readValue(json.toFile(), Results.class), dir);
    return 0;
  }

  /** Queues chats and messages for a running writer. */
  static int writerLoad(String rabbitmqUrl, String token, int chats, int messages)
      throws Exception {
    WriterScenarios.fill(rabbitmqUrl, token, chats, messages, new Progress("[writer-load]"));
    System.err.println("[writer-load] done");
    return 0;
  }

  static int run(BenchConfig cfg, int runs, List<String> args) throws Exception {
    Path root = cfg.root();
    Files.createDirectories(cfg.out());
    // Each scenario family has its own targets (push-hub's contract, Socket.IO's); --targets picks
    // by name among them.
    List<Target> asked =
        Target.all(root).stream().filter(t -> cfg.targets().contains(t.name())).toList();
    // The engine topologies (BENCH_TOPOLOGY) are started by the cluster scenario only: elsewhere
    // they would be plain Herald.
    List<Target> pushHub =
        asked.stream().filter(t -> !t.env().containsKey("BENCH_TOPOLOGY")).toList();
    List<Target> socketIo =
        Target.socketIo(root).stream().filter(t -> cfg.targets().contains(t.name())).toList();
    List<Target> heraldOnly =
        pushHub.stream()
            .filter(t -> t.name().equals("herald"))
            .toList(); // the other services' scenarios
    Results results =
        Results.empty(
            "./herald bench " + String.join(" ", args),
            Instant.now().toString(),
            cfg.pinning().cores()
                + " cores, "
                + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB max heap (load generator); "
                + cfg.pinning().describe());
    Scenarios s = new Scenarios(cfg, results);
    // --runs N repeats each scenario N times, the targets alternating within every round, and the
    // summary adds the
    // median of the runs per step: one run on a shared 2-core machine varies by a third at one step
    // (docs/benchmarks/history.md).
    Runner r = new Runner(results, cfg);
    try {
      for (String scenario : cfg.scenarios())
        for (int round = 1; round <= runs; round++) {
          if (runs > 1) System.err.printf("[bench] %s: run %d of %d%n", scenario, round, runs);
          switch (scenario) {
            case "fanout" -> r.each(scenario, pushHub, s::fanout);
            // the third-party generator (issue 15): without it built, every target of the scenario
            // is skipped
            case "fanout-go" ->
                r.each(scenario, pushHub, s::fanoutGo, Prerequisites.goLoadgen(root));
            // three nodes on a shared engine (issues 12, 23): herald (Redis), herald-redis,
            // herald-nats, and the topologies
            case "cluster" ->
                r.eachUnpinned(
                    scenario,
                    asked.stream()
                        .filter(
                            t ->
                                t.name()
                                    .matches(
                                        "herald(-redis|-nats|-sentinel|-sentinel-wait|-redis-cluster|-nats-r3)?"))
                        .toList(),
                    s::cluster);
            case "steady" -> r.each(scenario, pushHub, s::steady);
            case "idle" -> r.each(scenario, pushHub, s::idle);
            case "handshake" -> r.each(scenario, pushHub, s::handshake);
            case "startup" -> r.each(scenario, pushHub, s::startup);
            case "sio-fanout" -> r.each(scenario, socketIo, s::sioFanout); // websocket (seed 003)
            case "sio-steady" -> r.each(scenario, socketIo, s::sioSteady);
            case "sio-targeted" -> r.each(scenario, socketIo, s::sioTargeted);
            case "sio-idle" -> r.each(scenario, socketIo, s::sioIdle);
            case "reports", "catchup" ->
                r.each(scenario, heraldOnly, t -> s.reports(scenario)); // report-listener (issue 3)
            case "shortpoll", "longpoll" ->
                r.each(scenario, heraldOnly, t -> s.telemetry(scenario)); // telemetry (issue 4)
            case "writer", "countsync" ->
                r.each(scenario, heraldOnly, t -> s.writer(scenario)); // writer (issue 5)
            default ->
                throw new IllegalArgumentException(
                    "unknown scenario " + scenario); // BenchCommand checked the names
          }
        }
    } finally {
      s.close();
    }
    Report.write(results, cfg.out());
    System.out.println(Files.readString(cfg.out().resolve("summary.md")));
    return 0;
  }

  /** One scenario against one target. */
  private interface Run {
    void on(Target t) throws Exception;
  }

  /**
   * Runs scenarios target by target, writing the results after every one, so a long run leaves
   * partial results. This JVM is the load generator: before a target starts it moves onto the
   * generator's core (when pinning), with every thread it has and will start; a run that starts no
   * target starts no taskset either.
   */
  private static final class Runner {
    private final Results results;
    private final BenchConfig cfg;
    private boolean onGeneratorCore; // where this JVM is now; it starts on every core

    Runner(Results results, BenchConfig cfg) {
      this.results = results;
      this.cfg = cfg;
    }

    void each(String scenario, List<Target> targets, Run run) throws Exception {
      each(scenario, targets, run, Optional.empty());
    }

    void each(String scenario, List<Target> targets, Run run, Optional<String> missing)
        throws Exception {
      each(scenario, targets, run, missing, true);
    }

    /**
     * As {@link #each}, this JVM on every core: the cluster scenario's four nodes and the engines
     * it starts would otherwise inherit the generator's core, and four JVMs and an engine do not
     * fit on the server's one.
     */
    void eachUnpinned(String scenario, List<Target> targets, Run run) throws Exception {
      each(scenario, targets, run, Optional.empty(), false);
    }

    private void place(boolean generatorCore) throws Exception {
      if (generatorCore == onGeneratorCore) return;
      if (generatorCore) cfg.pinning().pinThisProcess();
      else cfg.pinning().releaseThisProcess();
      onGeneratorCore = generatorCore;
    }

    /**
     * A target whose prerequisites are missing (or the scenario's own, {@code missing}), or that
     * fails to start or run, is skipped with the reason: in the summary and on stderr, and the run
     * goes on with the next.
     */
    private void each(
        String scenario, List<Target> targets, Run run, Optional<String> missing, boolean pinned)
        throws Exception {
      if (targets.isEmpty())
        System.err.println(
            "[bench] no target of --targets "
                + String.join(",", cfg.targets())
                + " serves "
                + scenario);
      for (Target t : targets) {
        Optional<String> why = missing.or(() -> Prerequisites.missing(t, cfg.root()));
        if (why.isEmpty()) {
          try {
            place(pinned);
            run.on(t);
          } catch (InterruptedException e) {
            throw e;
          } catch (Exception e) {
            why = Optional.of("failed: " + Cli.oneLine(e));
          }
        }
        if (why.isPresent()) {
          System.err.println("[bench] " + scenario + ": skipped " + t.name() + ": " + why.get());
          results.skipped().add(new Results.Skipped(scenario, t.name(), why.get()));
        }
        Report.write(results, cfg.out());
      }
    }
  }
}
