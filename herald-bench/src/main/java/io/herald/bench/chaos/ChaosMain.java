package io.herald.bench.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.herald.cli.Cli;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code ./herald chaos}: runs each fault script against a fresh Herald process and prints one
 * table row per fault; writes results.json and summary.md to the output folder. The options, their
 * checks and the consent to stop machine services are {@link ChaosCommand}'s; {@code herald chaos
 * --help} lists them.
 */
public final class ChaosMain {
  private ChaosMain() {}

  public static void main(String[] args) {
    System.exit(Cli.execute(commandLine(), args));
  }

  /** The command and its options (help, completion). */
  public static CommandLine commandLine() {
    return ChaosCommand.commandLine();
  }

  /**
   * The faults of {@code config}, in order: 0 when none lost or doubled an event (or missed its
   * signal), else 1.
   */
  static int run(ChaosConfig config, List<String> args) throws Exception {
    Files.createDirectories(config.out());
    Faults faults = new Faults(config);
    List<Tally> results = new ArrayList<>();
    for (String f : config.faults()) {
      System.err.println("[chaos] " + f + ": starting");
      results.add(faults.run(f));
      write(config, args, results);
    }
    System.out.print(markdown(results));
    return results.stream().allMatch(t -> !t.verdict().equals("FAIL")) ? 0 : 1;
  }

  private static void write(ChaosConfig config, List<String> args, List<Tally> results)
      throws Exception {
    Map<String, Object> doc =
        Map.of(
            "command",
            "./herald chaos " + String.join(" ", args),
            "finished",
            Instant.now().toString(),
            "results",
            results);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(config.out().resolve("results.json").toFile(), doc);
    Files.writeString(
        config.out().resolve("summary.md"),
        "Command: `./herald chaos "
            + String.join(" ", args)
            + "`  \nFinished: "
            + Instant.now()
            + "\n\n"
            + markdown(results));
  }

  static String markdown(List<Tally> results) {
    StringBuilder b =
        new StringBuilder(
            "| fault | clients | published | accepted | owed | received | lost "
                + "| duplicated | out of order | reconnects | signal | verdict | note |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Tally t : results) {
      b.append("| ")
          .append(
              String.join(
                  " | ",
                  t.fault(),
                  s(t.clients()),
                  s(t.published()),
                  s(t.accepted()),
                  s(t.expected()),
                  s(t.received()),
                  s(t.lost()),
                  s(t.duplicated()),
                  s(t.reordered()),
                  s(t.reconnects()),
                  t.signal().isEmpty() ? "-" : t.signal(),
                  t.verdict(),
                  t.note()))
          .append(" |\n");
    }
    return b.toString();
  }

  private static String s(long v) {
    return String.format("%,d", v);
  }
}
