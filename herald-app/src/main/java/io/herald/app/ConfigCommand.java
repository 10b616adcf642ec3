package io.herald.app;

import io.herald.cli.Cli;
import io.herald.cli.Version;
import io.herald.config.ConfigException;
import io.herald.config.Env;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code herald config <service>}: the configuration the service would start with, read exactly as
 * it reads it (environment over ./.env over defaults), as a table, then the lines it logs at start
 * about what runs and with which settings. Starts nothing. A bad value is shown in the table and
 * named below it, with exit code 2.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    usageHelpAutoWidth = true,
    description = {
      "Prints the effective configuration of a service: every variable it reads, its value or default, and where "
          + "it came from (environment, .env, default); secrets are masked. "
          + "Then what the service would log at start. Starts nothing."
    })
final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "SERVICE",
      completionCandidates = HeraldCommand.ServiceNames.class,
      description = "one of: ${COMPLETION-CANDIDATES}")
  String service;

  @Override
  public Integer call() {
    List<String> names = Arrays.stream(ServiceName.values()).map(s -> s.cli).toList();
    ServiceName name =
        ServiceName.parse(service)
            .orElseThrow(
                () ->
                    new ParameterException(
                        spec.commandLine(),
                        "unknown service '"
                            + service
                            + "'"
                            + nearest(service, names)
                            + "; known: "
                            + String.join(", ", names)));
    PrintWriter out = spec.commandLine().getOut();
    Env env = Env.system();
    AppConfig config = null;
    String problems = null;
    try {
      config = AppConfig.from(env, name);
    } catch (ConfigException e) {
      problems = e.getMessage();
    }
    out.println(
        "herald "
            + name.cli
            + ": effective configuration (environment over ./.env over defaults; secrets masked)");
    out.println();
    Set<String> hidden = ServiceVariables.othersOnly(name);
    List<Env.Read> shown = env.reads().stream().filter(r -> !hidden.contains(r.name())).toList();
    out.print(ConfigTable.render(shown));
    if (shown.size() < env.reads().size()) {
      out.println(
          "("
              + (env.reads().size() - shown.size())
              + " variables of the other services are checked at start too but not shown: "
              + "'herald config all' lists every one)");
    }
    if (config != null) {
      out.println();
      out.println("At start it logs:");
      for (Main.Choice c : Main.plan(name, config))
        out.println(
            "  " + (c.service() == null ? "skipped " : "started ") + c.name() + ": " + c.why());
      for (Main.Choice c : Main.plan(name, config))
        if (c.service() != null) out.println("  " + c.name() + " config: " + c.config());
    }
    out.flush();
    if (problems != null) {
      spec.commandLine().getErr().println("herald: " + problems);
      return Cli.USAGE;
    }
    return 0;
  }

  /** "; did you mean push-hub?" when a known name is a small edit away. */
  static String nearest(String typed, List<String> names) {
    return names.stream()
        .min(Comparator.comparingInt(n -> distance(typed, n)))
        .filter(n -> distance(typed, n) <= Math.max(2, n.length() / 3))
        .map(n -> " (did you mean " + n + "?)")
        .orElse("");
  }

  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        d[i][j] =
            Math.min(
                Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
    }
    return d[a.length()][b.length()];
  }
}
