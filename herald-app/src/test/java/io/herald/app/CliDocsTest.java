package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * README's command list and docs/cli.md say what the commands do: docs/cli.md quotes herald's
 * --help and its commands' as they print them (regenerate with -Dherald.docs.write=true), and
 * README names every command.
 */
class CliDocsTest {
  private static final Path DOC = Path.of("..", "docs", "cli.md");
  private static final Path README = Path.of("..", "README.md");

  static String help(CommandLine cl) {
    return Cli.helpText(cl);
  }

  static void check(String name, String help) throws Exception {
    String text = Files.readString(DOC);
    String open = "<!-- help: " + name + " -->\n```text\n";
    String close = "```\n<!-- /help -->";
    int i = text.indexOf(open);
    assertThat(i).as("docs/cli.md quotes the help of " + name).isNotNegative();
    int j = text.indexOf(close, i);
    if (Boolean.getBoolean("herald.docs.write")) {
      Files.writeString(DOC, text.substring(0, i + open.length()) + help + text.substring(j));
      return;
    }
    assertThat(text.substring(i + open.length(), j))
        .as(name + " --help as docs/cli.md quotes it (regenerate with -Dherald.docs.write=true)")
        .isEqualTo(help);
  }

  @Test
  void docsQuoteTheHelpOfHeraldAndItsCommands() throws Exception {
    CommandLine root = HeraldCommand.commandLine();
    check("herald", help(root));
    check("herald config", help(root.getSubcommands().get("config")));
    check("herald completion", help(root.getSubcommands().get("completion")));
    check("herald push-hub", help(root.getSubcommands().get("push-hub")));
  }

  @Test
  void readmeNamesEveryCommandAndLinksTheReference() throws Exception {
    String readme = Files.readString(README);
    for (String command : HeraldCommand.commandLine().getSubcommands().keySet()) {
      if (ServiceName.parse(command).isEmpty())
        assertThat(readme).as("README's command list").contains("./herald " + command);
    }
    assertThat(readme).contains("./herald --help", "docs/cli.md");
    assertThat(Files.size(README)).as("README stays under 12 KB").isLessThan(12_000);
    String doc = Files.readString(DOC);
    for (ServiceName s : ServiceName.values()) assertThat(doc).contains("`" + s.cli + "`");
  }
}
