package io.herald.bench.chaos;

import java.io.Console;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a chaos run may stop the machine's own services. The run's plan is always shown first; a
 * fault that stops MariaDB, Redis, RabbitMQ or NATS runs only with {@code --yes}, an answer "y" on
 * a terminal, or {@code CI=true} for a run no longer than CI's (a CI machine's services exist for
 * the build). Anything else is refused before any fault.
 */
final class Consent {
  /** The longest run {@code CI=true} consents to: the defaults of --seconds and CI's soak. */
  static final double CI_SECONDS = 20, CI_SOAK_SECONDS = 60;

  private Consent() {}

  /** The plan, one line per fault with what it does and what it stops. */
  static void showPlan(List<FaultCatalog.Fault> faults, PrintWriter out) {
    out.println(
        "herald chaos will run " + faults.size() + (faults.size() == 1 ? " fault:" : " faults:"));
    for (FaultCatalog.Fault f : faults) {
      out.printf(
          "  %-17s %s%s%n",
          f.name(),
          f.what(),
          f.stopsServices() ? "  [STOPS this machine's " + String.join(", ", f.stops()) + "]" : "");
    }
    out.flush();
  }

  /** The services the run would stop, in the order of its faults. */
  static Set<String> stopped(List<FaultCatalog.Fault> faults) {
    Set<String> s = new LinkedHashSet<>();
    faults.forEach(f -> s.addAll(f.stops()));
    return s;
  }

  /** The decision, and why, in words the user sees. */
  record Decision(boolean granted, String why) {}

  static Decision decide(
      List<FaultCatalog.Fault> faults,
      boolean yes,
      Map<String, String> env,
      double seconds,
      double soakSeconds,
      Console console) {
    Set<String> stops = stopped(faults);
    if (stops.isEmpty()) return new Decision(true, "no fault stops a machine service");
    if (yes) return new Decision(true, "--yes");
    if ("true".equalsIgnoreCase(env.getOrDefault("CI", ""))
        && seconds <= CI_SECONDS
        && soakSeconds <= CI_SOAK_SECONDS) {
      return new Decision(true, "CI=true and a CI-sized run");
    }
    String ask =
        "Stop and restart this machine's "
            + String.join(", ", stops)
            + "? Programs using "
            + (stops.size() == 1 ? "it" : "them")
            + " will notice. [y/N] ";
    if (console != null && console.isTerminal()) {
      String answer = console.readLine("%s", ask);
      return answer != null && answer.trim().toLowerCase().matches("y|yes")
          ? new Decision(true, "answered yes")
          : new Decision(false, "not confirmed");
    }
    String ci =
        "true".equalsIgnoreCase(env.getOrDefault("CI", ""))
            ? " (CI=true consents only to a run of at most --seconds "
                + (int) CI_SECONDS
                + " and --soak-seconds "
                + (int) CI_SOAK_SECONDS
                + ")"
            : "";
    return new Decision(
        false,
        "these faults stop this machine's "
            + String.join(", ", stops)
            + ": add --yes to run them, or choose"
            + " others with --faults"
            + ci);
  }
}
