package io.herald.bench.chaos;

import io.herald.bench.cli.Nearest;
import io.herald.cli.Cli;
import io.herald.cli.Version;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code herald chaos}: its options, checked before anything runs, and the consent to stop machine
 * services.
 */
@Command(
    name = "herald chaos",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    showDefaultValues = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs fault scripts against a real Herald (started from ./herald) while publishers and resuming clients run, "
          + "and counts every event: accepted, received, lost, "
          + "duplicated, out of order. Writes results.json and summary.md "
          + "to --out and prints one row per fault; exits 1 when a fault lost or doubled an event.",
      "",
      "Faults that stop this machine's MariaDB, Redis or RabbitMQ "
          + "are listed before anything runs and need --yes (or a \"y\" "
          + "on a terminal; CI=true consents to a CI-sized run: --seconds "
          + "at most 20, --soak-seconds at most 60). See RELIABILITY.md.",
      ""
    })
final class ChaosCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /**
   * The command line, with the faults listed under the options (what each does, what it stops),
   * wrapped to the help's width.
   */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ChaosCommand());
    cl.getHelpSectionMap()
        .put(
            UsageMessageSpec.SECTION_KEY_FOOTER,
            help -> {
              int width = help.commandSpec().usageMessage().width();
              TextTable t =
                  TextTable.forColumns(
                      help.colorScheme(),
                      new Column(20, 2, Column.Overflow.SPAN),
                      new Column(Math.max(30, width - 20), 0, Column.Overflow.WRAP));
              for (FaultCatalog.Fault f : FaultCatalog.FAULTS) {
                t.addRowValues(
                    f.name(),
                    (f.stopsServices() ? "[STOPS " + String.join(", ", f.stops()) + "] " : "")
                        + f.what());
              }
              return "%nFaults (a plain run: all but soak, in this order):%n".formatted() + t;
            });
    return cl;
  }

  @Option(
      names = "--faults",
      split = ",",
      paramLabel = "FAULT",
      completionCandidates = FaultCatalog.Names.class,
      description = "faults to run, in order (comma-separated): ${COMPLETION-CANDIDATES}")
  List<String> faults = FaultCatalog.DEFAULT;

  @Option(
      names = "--clients",
      description = "resuming push-hub clients during the kill, stall and service faults")
  int clients = 200;

  @Option(
      names = "--storm-clients",
      description = "clients that reconnect at once in restart-storm and connect-storm")
  int stormClients = 10_000;

  @Option(names = "--rate", description = "broadcasts per second while a fault runs")
  double rate = 50;

  @Option(names = "--seconds", description = "how long each fault's load runs")
  double seconds = 20;

  @Option(names = "--soak-seconds", description = "how long the soak runs")
  double soakSeconds = 1800;

  @Option(
      names = "--churn-clients",
      description = "clients that connect and drop again and again during the soak")
  int churnClients = 100;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "where results.json and summary.md go (under --root)")
  String out = "reliability-results";

  @Option(names = "--root", paramLabel = "DIR", description = "the repository, where ./herald is")
  Path root = Path.of(".");

  @Option(
      names = {"-y", "--yes"},
      description = "consent to the faults that stop this machine's services")
  boolean yes;

  @Option(
      names = "--dry-run",
      description = "list the faults and what they stop, then exit without running any")
  boolean dryRun;

  @Option(
      names = "--render-soak",
      paramLabel = "DIR",
      description = "redraw DIR/soak.svg from DIR/soak.csv (an earlier soak) and exit")
  Path renderSoak;

  @Override
  public Integer call() throws Exception {
    if (renderSoak != null) {
      Files.writeString(
          renderSoak.resolve("soak.svg"), Soak.chart(Soak.read(renderSoak.resolve("soak.csv"))));
      return 0;
    }
    List<FaultCatalog.Fault> plan = check();
    PrintWriter err = spec.commandLine().getErr();
    Consent.showPlan(plan, err);
    if (dryRun) return 0;
    Consent.Decision consent =
        Consent.decide(plan, yes, System.getenv(), seconds, soakSeconds, System.console());
    if (!consent.granted()) {
      err.println("herald chaos: refused, no fault was run: " + consent.why());
      return Cli.USAGE;
    }
    Path base = root.toAbsolutePath().normalize();
    return ChaosMain.run(
        new ChaosConfig(
            faults,
            clients,
            stormClients,
            rate,
            seconds,
            soakSeconds,
            churnClients,
            base,
            base.resolve(out)),
        spec.commandLine().getParseResult().originalArgs());
  }

  /** Every value, before anything runs; the faults as the catalogue describes them. */
  List<FaultCatalog.Fault> check() {
    positive("--clients", clients);
    positive("--storm-clients", stormClients);
    positive("--rate", rate);
    positive("--seconds", seconds);
    positive("--soak-seconds", soakSeconds);
    if (churnClients < 0)
      throw new ParameterException(
          spec.commandLine(), "--churn-clients=" + churnClients + ": expected 0 or more");
    if (faults.isEmpty())
      throw new ParameterException(spec.commandLine(), "--faults: name at least one fault");
    return faults.stream()
        .map(
            f ->
                FaultCatalog.find(f)
                    .orElseThrow(
                        () ->
                            new ParameterException(
                                spec.commandLine(),
                                "--faults: " + Nearest.unknown("fault", f, FaultCatalog.NAMES))))
        .toList();
  }

  private void positive(String name, double v) {
    if (!(v > 0))
      throw new ParameterException(
          spec.commandLine(), name + "=" + fmt(v) + ": expected a number above 0");
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
