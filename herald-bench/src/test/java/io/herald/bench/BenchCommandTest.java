package io.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.bench.cli.ChildJvm;
import io.herald.bench.cli.HelpDoc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code herald bench} as a user runs it, in its own JVM. --root is an empty folder, so no target
 * could start even if a check let one through: help, typos and missing peers must all end before
 * anything is measured.
 */
class BenchCommandTest {
  @TempDir Path root;

  private ChildJvm.Result bench(String... args) throws Exception {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(
        new String[] {"--root", root.toString(), "--out", "out"}, 0, all, args.length, 4);
    return ChildJvm.run("io.herald.bench.BenchMain", Map.of(), all);
  }

  private static void noStackTrace(ChildJvm.Result r) {
    assertThat(r.output()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void helpListsEveryOptionWithItsDefaultAndStartsNothing() throws Exception {
    for (String flag : new String[] {"--help", "-h"}) {
      ChildJvm.Result r = bench(flag);
      assertThat(r.exit()).isZero();
      for (CommandLine.Model.OptionSpec o :
          new CommandLine(new BenchCommand()).getCommandSpec().options()) {
        // a negatable option is shown once for both spellings: --[no-]pin
        assertThat(r.output())
            .contains(o.negatable() ? "--[no-]" + o.longestName().substring(2) : o.longestName());
      }
      assertThat(r.output())
          .contains(
              "Usage: herald bench",
              "Default: startup,fanout,steady,idle",
              "Default: 1000",
              "go-gorilla",
              "as guest; the password is not shown")
          .doesNotContain("guest:guest");
      noStackTrace(r);
      assertThat(r.children()).isEmpty();
      assertThat(root.resolve("out")).doesNotExist();
    }
  }

  @Test
  void typosAreRefusedWithExitTwoAndTheNearestName() throws Exception {
    record Case(String[] args, String says) {}
    for (Case c :
        new Case[] {
          new Case(
              new String[] {"--fanout-cleints", "10"},
              "herald bench: unknown option '--fanout-cleints'; did you mean --fanout-clients"),
          new Case(
              new String[] {"--scenarios", "startup,fanuot"},
              "unknown scenario 'fanuot' (did you mean fanout?)"),
          new Case(
              new String[] {"--targets", "go-gorila"},
              "unknown target 'go-gorila' (did you mean go-gorilla?)"),
          new Case(
              new String[] {"--stores", "redsi"}, "unknown store 'redsi' (did you mean redis?)"),
          new Case(new String[] {"--runs", "0"}, "--runs=0: expected 1 or more"),
          new Case(
              new String[] {"--fanout-rates", "100,-5"},
              "--fanout-rates=-5: expected a number above 0"),
          new Case(new String[] {"--steady-clients", "lots"}, "'lots'")
        }) {
      ChildJvm.Result r = bench(c.args());
      assertThat(r.exit()).as(String.join(" ", c.args())).isEqualTo(2);
      assertThat(r.output()).contains(c.says(), "herald bench --help");
      noStackTrace(r);
      assertThat(r.children()).isEmpty();
      assertThat(root.resolve("out")).doesNotExist();
    }
  }

  @Test
  void aTargetWhosePeerIsMissingIsSkippedAndTheSummarySaysSo() throws Exception {
    ChildJvm.Result r = bench("--scenarios", "startup", "--targets", "go-gorilla,c-floor,herald");
    assertThat(r.exit()).isZero();
    noStackTrace(r);
    assertThat(r.children()).isEmpty();
    String summary = Files.readString(root.resolve("out/summary.md"));
    assertThat(summary)
        .contains(
            "Skipped (not run on this machine)",
            "startup / go-gorilla: bench/peers/go-hub/go-hub is not built: run bash bench/peers/build-go.sh",
            "golang-go golang-github-gorilla-websocket-dev",
            "startup / c-floor: bench/peers/c-floor/floor is not built: run bash bench/peers/build-c-floor.sh",
            "startup / herald: no ./herald in " + root);
    assertThat(r.output())
        .contains("[bench] startup: skipped go-gorilla: bench/peers/go-hub/go-hub is not built");
  }

  @Test
  void fanoutGoWithoutItsGeneratorIsSkipped() throws Exception {
    ChildJvm.Result r = bench("--scenarios", "fanout-go", "--targets", "go-gorilla");
    assertThat(r.exit()).isZero();
    assertThat(Files.readString(root.resolve("out/summary.md")))
        .contains("fanout-go / go-gorilla: bench/peers/go-loadgen/go-loadgen is not built");
    assertThat(r.children()).isEmpty();
  }

  @Test
  void renderOfAFolderWithoutResultsIsOneLine() throws Exception {
    ChildJvm.Result r = bench("--render", root.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.output().strip())
        .isEqualTo("herald bench: --render " + root + ": no results.json there");
  }

  @Test
  void docsQuoteTheHelpAsItIs() throws Exception {
    HelpDoc.check("herald bench", HelpDoc.help(new CommandLine(new BenchCommand())));
  }
}
