package io.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {
  @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class)
  static final class Demo implements Runnable {
    @Option(names = "--rate", description = "per second")
    int rate;

    @Override
    public void run() {
      if (rate < 0)
        throw new IllegalStateException(
            "outer", new IllegalArgumentException("the rate cannot be negative\nsecond line"));
    }
  }

  private static String[] run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Demo());
    cl.setErr(new PrintWriter(err, true));
    int code = Cli.execute(cl, args);
    return new String[] {Integer.toString(code), err.toString()};
  }

  @Test
  void aMistypedOptionExitsTwoNamingTheNearestOneInOneLinePlusAPointerToHelp() {
    String[] r = run("--hepl");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1])
        .startsWith("demo: unknown option '--hepl'; did you mean --help?")
        .contains("run 'demo --help'")
        .doesNotContain("Exception")
        .hasLineCount(2);
  }

  @Test
  void aFailureWhileRunningIsTheDeepestMessagesFirstLineAndExitOne() {
    String[] r = run("--rate", "-1");
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1].strip()).isEqualTo("demo: the rate cannot be negative");
  }

  @Test
  void theVersionNamesTheProjectVersionAndTheJdk() throws Exception {
    String[] v = new Version().getVersion();
    assertThat(v[0]).startsWith("herald ").doesNotContain("${").doesNotContain("unknown (");
    assertThat(v[1]).startsWith("JDK " + Runtime.version());
  }
}
