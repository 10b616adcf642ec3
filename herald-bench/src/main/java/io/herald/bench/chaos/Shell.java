package io.herald.bench.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the machine's own commands (mount, rabbitmqctl, the services' start commands) for the fault
 * scripts.
 */
final class Shell {
  private Shell() {}

  /** What one command did. */
  record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  /**
   * Runs {@code command} through bash, waits up to {@code seconds}, and returns its exit code and
   * output.
   */
  static Result run(int seconds, String command) {
    try {
      Process p =
          new ProcessBuilder(List.of("bash", "-c", command)).redirectErrorStream(true).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(124, "timed out after " + seconds + " s: " + command);
      }
      return new Result(
          p.exitValue(),
          new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return new Result(127, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted");
    }
  }
}
