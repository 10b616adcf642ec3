package io.herald.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.bench.cli.ChildJvm;
import io.herald.bench.cli.HelpDoc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code herald chaos} as a user runs it, in its own JVM. Every run points --root at an empty
 * folder: were a check to let a fault through, it could not start Herald there and would fail
 * before touching a service.
 */
class ChaosCommandTest {
  @TempDir Path root;

  private ChildJvm.Result chaos(Map<String, String> env, String... args) throws Exception {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(
        new String[] {"--root", root.toString(), "--out", "out"}, 0, all, args.length, 4);
    return ChildJvm.run("io.herald.bench.chaos.ChaosMain", env, all);
  }

  private void startedNothing(ChildJvm.Result r) {
    assertThat(r.children()).as("processes started").isEmpty();
    assertThat(root.resolve("out"))
        .as("the output folder, created when faults start")
        .doesNotExist();
    assertThat(r.output()).doesNotContain("Exception", "\tat ", "[chaos] kill-restart: starting");
  }

  @Test
  void helpListsEveryOptionWithItsDefaultAndEveryFaultAndStartsNothing() throws Exception {
    for (String flag : new String[] {"--help", "-h"}) {
      ChildJvm.Result r = chaos(Map.of(), flag);
      assertThat(r.exit()).isZero();
      assertThat(r.output())
          .contains(
              "Usage: herald chaos",
              "--faults",
              "--clients",
              "--storm-clients",
              "--rate",
              "--seconds",
              "--soak-seconds",
              "--churn-clients",
              "--out",
              "--root",
              "--yes",
              "--dry-run",
              "--render-soak",
              "--version",
              "Default: 200",
              "Default: 10000",
              "Default: 1800",
              "Default: reliability-results");
      FaultCatalog.NAMES.forEach(f -> assertThat(r.output()).contains(f));
      assertThat(r.output()).contains("[STOPS MariaDB]", "[STOPS RabbitMQ]", "[STOPS Redis]");
      startedNothing(r);
    }
  }

  @Test
  void versionNamesTheProjectAndTheJdk() throws Exception {
    ChildJvm.Result r = chaos(Map.of(), "--version");
    assertThat(r.exit()).isZero();
    assertThat(r.output())
        .containsPattern("herald \\d+\\.\\d+\\.\\d+ \\(commit ")
        .contains("JDK " + Runtime.version().feature());
  }

  @Test
  void aMistypedOptionIsRefusedWithExitTwoAndTheNearestName() throws Exception {
    ChildJvm.Result r = chaos(Map.of(), "--clinets", "5");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output())
        .contains(
            "herald chaos: unknown option '--clinets'; did you mean --clients?",
            "did you mean --clients?",
            "herald chaos --help");
    startedNothing(r);
  }

  @Test
  void anUnknownFaultOrABadValueIsRefusedBeforeAnyFault() throws Exception {
    ChildJvm.Result typo = chaos(Map.of(), "--faults", "kill-restart,kill-restrat", "--yes");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.output()).contains("unknown fault 'kill-restrat' (did you mean kill-restart?)");
    startedNothing(typo);
    ChildJvm.Result zero = chaos(Map.of(), "--clients", "0", "--yes");
    assertThat(zero.exit()).isEqualTo(2);
    assertThat(zero.output()).contains("--clients=0: expected a number above 0");
    startedNothing(zero);
    ChildJvm.Result word = chaos(Map.of(), "--rate", "fast", "--yes");
    assertThat(word.exit()).isEqualTo(2);
    assertThat(word.output()).contains("'fast'", "--rate");
    startedNothing(word);
  }

  @Test
  void withoutYesAFaultThatStopsAServiceIsRefusedAfterListingThePlan() throws Exception {
    ChildJvm.Result r = chaos(Map.of(), "--faults", "kill-restart,mariadb-restart,redis-restart");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output())
        .contains(
            "herald chaos will run 3 faults:",
            "mariadb-restart",
            "[STOPS this machine's MariaDB]",
            "[STOPS this machine's Redis]",
            "refused, no fault was run",
            "add --yes");
    startedNothing(r);
  }

  @Test
  void ciConsentsOnlyToACiSizedRun() throws Exception {
    ChildJvm.Result r =
        chaos(Map.of("CI", "true"), "--faults", "mariadb-restart", "--soak-seconds", "1800");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output())
        .contains(
            "refused, no fault was run",
            "CI=true consents only to a run of at most --seconds 20 and --soak-seconds 60");
    startedNothing(r);
  }

  @Test
  void aDryRunListsThePlanAndRunsNothing() throws Exception {
    ChildJvm.Result r = chaos(Map.of(), "--dry-run");
    assertThat(r.exit()).isZero();
    assertThat(r.output())
        .contains(
            "herald chaos will run " + FaultCatalog.DEFAULT.size() + " faults:",
            "[STOPS this machine's RabbitMQ]");
    startedNothing(r);
  }

  @Test
  void theSoakOfRunTestsIsAcceptedWithoutYes() throws Exception {
    // ./run-tests' invocation: the soak stops no service, so it needs no consent (checked with
    // --dry-run only).
    ChildJvm.Result r =
        chaos(
            Map.of("CI", "true"),
            "--faults",
            "soak",
            "--soak-seconds",
            "60",
            "--clients",
            "50",
            "--churn-clients",
            "20",
            "--dry-run");
    assertThat(r.exit()).isZero();
    assertThat(r.output()).contains("soak").doesNotContain("STOPS", "refused");
    startedNothing(r);
  }

  @Test
  void consentRules() {
    var stops = FaultCatalog.FAULTS.stream().filter(f -> f.name().equals("redis-restart")).toList();
    var safe = FaultCatalog.FAULTS.stream().filter(f -> f.name().equals("soak")).toList();
    assertThat(Consent.decide(safe, false, Map.of(), 20, 1800, null).granted()).isTrue();
    assertThat(Consent.decide(stops, false, Map.of(), 20, 60, null).granted()).isFalse();
    assertThat(Consent.decide(stops, true, Map.of(), 20, 1800, null).granted()).isTrue();
    assertThat(Consent.decide(stops, false, Map.of("CI", "true"), 20, 60, null).granted()).isTrue();
    assertThat(Consent.decide(stops, false, Map.of("CI", "true"), 60, 60, null).granted())
        .isFalse();
  }

  @Test
  void docsQuoteTheHelpAsItIs() throws Exception {
    HelpDoc.check("herald chaos", HelpDoc.help(ChaosCommand.commandLine()));
  }

  @Test
  void onATerminalItAsksAndAnAnswerOtherThanYesRefuses() throws Exception {
    // util-linux's script gives the JVM a terminal, as a user's shell would; the answer is "n".
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/script")), "no /usr/bin/script here");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cmd =
        String.join(
            " ",
            java,
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            "io.herald.bench.chaos.ChaosMain",
            "--faults",
            "kill-restart,rabbitmq-restart",
            "--root",
            root.toString(),
            "--out",
            "out");
    ProcessBuilder pb =
        new ProcessBuilder("/usr/bin/script", "-qec", cmd, "/dev/null").redirectErrorStream(true);
    pb.environment().remove("CI");
    Process p = pb.start();
    p.getOutputStream().write("n\n".getBytes());
    p.getOutputStream().flush();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .contains(
            "Stop and restart this machine's RabbitMQ?",
            "[y/N]",
            "refused, no fault was run: not confirmed")
        .doesNotContain("[chaos] kill-restart: starting");
    assertThat(root.resolve("out")).doesNotExist();
  }
}
