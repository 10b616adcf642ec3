package io.herald.bench.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command's real entry point ({@code main}) in a JVM of its own on the tests' classpath, as
 * {@code ./herald bench} and {@code ./herald chaos} run it from the jar; while it runs, every
 * process it starts is noted, so a test can show that help, refusals and validation start nothing.
 */
public final class ChildJvm {
  /**
   * What the command did: exit code, stdout and stderr together, any process it started, how long
   * it took.
   */
  public record Result(int exit, String output, List<String> children, long millis) {}

  private ChildJvm() {}

  /**
   * Runs {@code mainClass args} with the variables of {@code env} (and no CI, unless {@code env}
   * sets it).
   */
  public static Result run(String mainClass, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile("herald-cli", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().remove("CI");
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream()
        .close(); // no terminal and nothing to read: a question would get end of input
    List<String> children = new ArrayList<>();
    while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
      p.descendants()
          .forEach(h -> children.add(h.pid() + " " + h.info().commandLine().orElse("?")));
      if (System.nanoTime() - t0 > 60e9) {
        p.destroyForcibly();
        throw new AssertionError("still running after 60 s: " + Files.readString(log));
      }
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    return new Result(p.exitValue(), out, children, (System.nanoTime() - t0) / 1_000_000);
  }
}
