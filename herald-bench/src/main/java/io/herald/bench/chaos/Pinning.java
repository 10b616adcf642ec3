package io.herald.bench.chaos;

import java.io.IOException;

/**
 * Herald on core 0 and the chaos process on the others, as load from other machines would be: otherwise what a
 * fault measures is as much the load generator's own scheduling as Herald's answer.
 */
final class Pinning {
  private Pinning() {}

  /** Whether there is a core to spare for this process. */
  static boolean possible() {
    return Runtime.getRuntime().availableProcessors() >= 2;
  }

  /** Every thread of this process onto {@code cpus} (taskset's list form); later threads inherit it. */
  static void self(String cpus) throws IOException, InterruptedException {
    new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
  }
}
