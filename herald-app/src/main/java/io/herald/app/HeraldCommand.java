package io.herald.app;

import io.herald.cli.Cli;
import io.herald.cli.Version;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code herald}: one subcommand per service (each runs it), {@code config}, {@code completion},
 * and the three the launcher runs itself ({@code bench}, {@code chaos} from the bench jar, {@code
 * dist} from scripts/dist.sh), listed here so help and completion know them.
 */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    usageHelpAutoWidth = true,
    synopsisSubcommandLabel = "<service | command>",
    description = {
      "Runs a Herald service, reading its configuration from the environment (over ./.env); "
          + "'herald config <service>' shows it. The docs folder "
          + "explains each service's variables (shared.md, then one file "
          + "per service) and every command (cli.md).",
      ""
    },
    commandListHeading = "%nServices and commands:%n",
    footer = {"", "Run 'herald <service | command> --help' for its own options."})
final class HeraldCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The whole command tree; the services first, in the order of {@link ServiceName}. */
  static CommandLine commandLine() {
    CommandLine root = new CommandLine(new HeraldCommand());
    for (ServiceName s : ServiceName.values()) {
      CommandLine sub = new CommandLine(new ServiceCommand(s));
      sub.getCommandSpec()
          .usageMessage()
          .description(
              s.summary + (s.implemented ? "" : "  [not implemented yet]"),
              "",
              "Configuration: 'herald config "
                  + s.cli
                  + "' shows every variable it reads; docs/"
                  + (s == ServiceName.ALL ? "shared" : s.cli)
                  + ".md explains them.");
      root.addSubcommand(s.cli, sub);
    }
    root.addSubcommand("config", new ConfigCommand());
    root.addSubcommand("completion", new CompletionCommand());
    launcherOnly(
        root,
        "bench",
        "the load generator: scenarios against Herald and the reference peers (BENCHMARKS.md)");
    launcherOnly(
        root,
        "chaos",
        "the fault scripts: every event counted while Herald is killed or its services stop (RELIABILITY.md)");
    launcherOnly(
        root,
        "dist",
        "builds the release: a tarball with its own Java runtime, and a Debian package (docs/operations.md)");
    return root;
  }

  private static void launcherOnly(CommandLine root, String name, String what) {
    CommandLine sub = new CommandLine(new LauncherOnly(name, what));
    sub.getCommandSpec()
        .usageMessage()
        .description(what + "; './herald " + name + " --help' lists its options");
    root.addSubcommand(name, sub);
  }

  @Override
  public Integer call() {
    spec.commandLine()
        .usage(spec.commandLine().getErr()); // no service named: what there is, as a usage error
    return Cli.USAGE;
  }

  /** {@code herald <service>}: runs it until SIGTERM or SIGINT. */
  @Command(mixinStandardHelpOptions = true, versionProvider = Version.class)
  static final class ServiceCommand implements Callable<Integer> {
    private final ServiceName name;

    ServiceCommand(ServiceName name) {
      this.name = name;
    }

    @Override
    public Integer call() throws Exception {
      Main.serve(name, System.nanoTime());
      return 0;
    }
  }

  /** The service names, for completion and the config command's help. */
  static final class ServiceNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(ServiceName.values()).map(s -> s.cli).iterator();
    }
  }

  /**
   * {@code herald completion bash}: a bash completion script for every command, option and name.
   */
  @Command(
      name = "completion",
      mixinStandardHelpOptions = true,
      versionProvider = Version.class,
      description = {
        "Prints a bash completion script for herald, its services and commands.",
        "Use it with: source <(./herald completion bash), or save it to /etc/bash_completion.d/herald."
      })
  static final class CompletionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "SHELL",
        completionCandidates = Shells.class,
        description = "the shell: ${COMPLETION-CANDIDATES}")
    String shell;

    @Override
    public Integer call() {
      if (!shell.equals("bash")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "unknown shell '" + shell + "'; known: bash");
      }
      spec.commandLine().getOut().print(AutoComplete.bash("herald", spec.root().commandLine()));
      spec.commandLine().getOut().flush();
      return 0;
    }

    static final class Shells implements Iterable<String> {
      @Override
      public Iterator<String> iterator() {
        return List.of("bash").iterator();
      }
    }
  }

  /**
   * {@code bench}, {@code chaos} and {@code dist} are run by the launcher (the bench jar,
   * scripts/dist.sh); reached through herald.jar directly, they say so instead of pretending.
   */
  @Command
  static final class LauncherOnly implements Callable<Integer> {
    private final String name;
    private final String what;
    @Spec CommandSpec spec;
    @Unmatched List<String> rest;

    LauncherOnly(String name, String what) {
      this.name = name;
      this.what = what;
    }

    @Override
    public Integer call() {
      spec.commandLine()
          .getErr()
          .println(
              "herald "
                  + name
                  + ": "
                  + what
                  + "; it runs from the launcher: ./herald "
                  + name
                  + " --help");
      return Cli.USAGE;
    }
  }
}
