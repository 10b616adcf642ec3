package io.herald.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * docs/cli.md quotes each command's --help between {@code <!-- help: NAME -->} and {@code <!--
 * /help -->}; this checks that the quote is what the command prints, so the document cannot drift
 * from the code. With {@code -Dherald.docs.write=true} it rewrites the quote instead.
 */
public final class HelpDoc {
  public static final Path DOC = Path.of("..", "docs", "cli.md");

  private HelpDoc() {}

  /** The help as docs/cli.md shows it: 100 columns, no colours, whatever the terminal. */
  public static String help(CommandLine cl) {
    return Cli.helpText(cl);
  }

  public static void check(String name, String help) throws IOException {
    String text = Files.readString(DOC);
    String open = "<!-- help: " + name + " -->\n```text\n";
    String close = "```\n<!-- /help -->";
    int i = text.indexOf(open);
    assertThat(i).as("docs/cli.md quotes the help of " + name).isNotNegative();
    int j = text.indexOf(close, i);
    String quoted = text.substring(i + open.length(), j);
    if (Boolean.getBoolean("herald.docs.write")) {
      Files.writeString(DOC, text.substring(0, i + open.length()) + help + text.substring(j));
      return;
    }
    assertThat(quoted)
        .as(name + " --help as docs/cli.md quotes it (regenerate with -Dherald.docs.write=true)")
        .isEqualTo(help);
  }
}
