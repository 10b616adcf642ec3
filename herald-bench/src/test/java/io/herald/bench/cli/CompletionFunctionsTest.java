package io.herald.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.bench.BenchMain;
import io.herald.bench.chaos.ChaosMain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bash completes the options and names of herald bench and herald chaos (what the launcher appends
 * to herald's script).
 */
class CompletionFunctionsTest {
  @TempDir Path dir;

  @Test
  void theLauncherGetsOnlyTheTwoCommandsFunctions() throws Exception {
    ChildJvm.Result r = ChildJvm.run("io.herald.bench.cli.CompletionFunctions", Map.of());
    assertThat(r.exit()).isZero();
    assertThat(r.output())
        .contains(
            "function _picocli_herald_bench()",
            "function _picocli_herald_chaos()",
            "--fanout-clients",
            "--soak-seconds",
            "kill-restart",
            "fanout-go")
        .doesNotContain("complete -F", "function _complete_herald");
    assertThat(r.children()).isEmpty();
  }

  /** What bash offers after {@code line} (the last word being completed). */
  private String complete(String line) throws Exception {
    Path script = dir.resolve("herald-completion.sh");
    Files.writeString(
        script, CompletionFunctions.script(BenchMain.commandLine(), ChaosMain.commandLine()));
    String words = line.endsWith(" ") ? line + "''" : line;
    // compopt only works while bash itself runs a completion; here the function is called directly,
    // so it is a no-op.
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                "compopt() { :; }; source "
                    + script
                    + "; COMP_LINE='"
                    + line
                    + "'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=("
                    + words
                    + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); "
                    + "_complete_herald; printf '%s\\n' \"${COMPREPLY[@]}\"")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void bashCompletesOptionsAndNames() throws Exception {
    assertThat(complete("herald chaos --fa").lines().map(String::strip).toList())
        .contains("--faults");
    assertThat(complete("herald bench --fanout-c").lines().map(String::strip).toList())
        .contains("--fanout-clients");
    List<String> scenarios =
        complete("herald bench --scenarios fan").lines().map(String::strip).toList();
    assertThat(scenarios).contains("fanout", "fanout-go").doesNotContain("steady");
    assertThat(complete("herald bench --targets go").lines().map(String::strip).toList())
        .containsExactly("go-gorilla");
    assertThat(complete("herald chaos --faults redis").lines().map(String::strip).toList())
        .contains("redis-restart");
  }
}
