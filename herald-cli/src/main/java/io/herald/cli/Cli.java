package io.herald.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs a picocli command the way every Herald command ({@code herald}, {@code herald bench}, {@code
 * herald chaos}) behaves: help and version exit 0, a usage error is one line (with the nearest
 * valid name) and exit code 2, a failure while running is one line and exit code 1, never a stack
 * trace (a user who mistyped an option should not have to read Java).
 */
public final class Cli {
  /** A usage error: unknown option, bad value, refused run. */
  public static final int USAGE = 2;

  private Cli() {}

  public static int execute(Object command, String... args) {
    return execute(new CommandLine(command), args);
  }

  public static int execute(CommandLine cl, String... args) {
    cl.setParameterExceptionHandler(Cli::usageError);
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println(line.getCommandSpec().qualifiedName() + ": " + oneLine(e));
          return 1;
        });
    return cl.execute(args);
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    PrintWriter err = line.getErr();
    String name = line.getCommandSpec().qualifiedName();
    String message = e.getMessage();
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      // Only the first: after a mistyped option its value is unmatched too, and naming it would
      // mislead.
      String first = u.getUnmatched().get(0);
      String what =
          first.startsWith("-")
              ? "unknown option"
              : line.getSubcommands().isEmpty() ? "unexpected argument" : "unknown service";
      message =
          what
              + " '"
              + first
              + "'"
              + (u.getSuggestions().isEmpty()
                  ? ""
                  : "; did you mean "
                      + String.join(" or ", u.getSuggestions().stream().limit(3).toList())
                      + "?");
    }
    err.println(name + ": " + message);
    err.println(
        "run '"
            + name
            + " --help' for "
            + (line.getSubcommands().isEmpty()
                ? "every option and its default"
                : "every service and command"));
    return USAGE;
  }

  /**
   * A command's help as the docs quote it: 100 columns and no colours, whatever the terminal (the
   * docs tests of herald-app and herald-bench compare docs/cli.md with it).
   */
  public static String helpText(CommandLine cl) {
    cl.setUsageHelpAutoWidth(false);
    cl.setUsageHelpWidth(100);
    return cl.getUsageMessage(CommandLine.Help.Ansi.OFF)
        .lines()
        .map(String::stripTrailing)
        .reduce("", (a, b) -> a + b + "\n");
  }

  /** The failure's own message, from the deepest cause that has one. */
  public static String oneLine(Throwable e) {
    String message = e.toString();
    for (Throwable t = e; t != null; t = t.getCause())
      if (t.getMessage() != null && !t.getMessage().isBlank()) message = t.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
