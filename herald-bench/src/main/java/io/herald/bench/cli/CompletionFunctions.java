package io.herald.bench.cli;

import io.herald.bench.BenchMain;
import io.herald.bench.chaos.ChaosMain;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The bash completion of {@code herald bench} and {@code herald chaos}. herald.jar writes the
 * script for herald and its services ({@code herald completion bash}) but does not hold these two
 * commands; the launcher appends this output, whose {@code _picocli_herald_bench} and {@code
 * _picocli_herald_chaos} replace that script's placeholders (bash keeps a function's last
 * definition), so their options and names complete too.
 */
public final class CompletionFunctions {
  private CompletionFunctions() {}

  @Command(name = "herald")
  static final class Root {}

  /** The whole script picocli writes for a herald holding only bench and chaos. */
  public static String script(CommandLine bench, CommandLine chaos) {
    CommandLine root = new CommandLine(new Root());
    root.addSubcommand("bench", bench);
    root.addSubcommand("chaos", chaos);
    return AutoComplete.bash("herald", root);
  }

  /** Only the two commands' functions. */
  public static String functions(String script) {
    StringBuilder b = new StringBuilder("\n# herald bench and herald chaos (from the bench jar)\n");
    for (String name : new String[] {"_picocli_herald_bench", "_picocli_herald_chaos"}) {
      Matcher m = Pattern.compile("(?ms)^function " + name + "\\(\\) \\{$.*?^\\}$").matcher(script);
      if (!m.find()) throw new IllegalStateException("picocli wrote no " + name);
      b.append(m.group()).append('\n');
    }
    return b.toString();
  }

  public static void main(String[] args) {
    System.out.print(functions(script(BenchMain.commandLine(), ChaosMain.commandLine())));
  }
}
