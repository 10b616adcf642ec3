package io.herald.bench.target;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the server under test and the load generator run. Pinned (the default of {@code herald
 * bench}), the server runs on CPU 0 and the generator on CPU 1, each alone: on one shared set of
 * cores the two steal each other's time slices, and a latency percentile measures the scheduler as
 * much as the server (issue 30). The generator is this JVM (its clients and publisher) and the Go
 * load generator it starts. Unpinned, everything shares every core.
 *
 * @param on whether the processes are pinned; false as well when asked on a machine of fewer than 2
 *     cores
 * @param cores the cores this JVM saw at start, before it pinned itself
 */
public record Pinning(boolean on, int cores) {
  static final String SERVER_CPU = "0";
  static final String GENERATOR_CPU = "1";

  /**
   * Pinned when {@code wanted} and this machine can: {@code cores} of 2 or more and taskset
   * installed; otherwise unpinned, and {@code warn} says why.
   */
  public static Pinning choose(
      boolean wanted, int cores, boolean tasksetInstalled, Consumer<String> warn) {
    if (wanted && cores < 2)
      warn.accept(
          "pinning off: " + cores + " core here, the server and the generator need one each");
    else if (wanted && !tasksetInstalled)
      warn.accept("pinning off: no taskset on PATH (Debian's util-linux)");
    return new Pinning(wanted && cores >= 2 && tasksetInstalled, cores);
  }

  /** A server's command, started on the server's core (as is when unpinned). */
  public List<String> server(List<String> command) {
    return on ? Affinity.on(SERVER_CPU, command) : command;
  }

  /** A load generator's command, started on the generator's core (as is when unpinned). */
  public List<String> generator(List<String> command) {
    return on ? Affinity.on(GENERATOR_CPU, command) : command;
  }

  /** Moves this JVM, the in-process generator, onto the generator's core; nothing when unpinned. */
  public void pinThisProcess() throws IOException, InterruptedException {
    if (on) Affinity.moveThisProcess(GENERATOR_CPU);
  }

  /** Gives this JVM every core back, for what runs unpinned (the cluster scenario). */
  public void releaseThisProcess() throws IOException, InterruptedException {
    if (on) Affinity.moveThisProcess("0-" + (cores - 1));
  }

  /** One line for the results' header. */
  public String describe() {
    return on
        ? "pinned with taskset: server under test on CPU "
            + SERVER_CPU
            + ", load generator on CPU "
            + GENERATOR_CPU
        : "unpinned: server and load generator share every core";
  }
}
