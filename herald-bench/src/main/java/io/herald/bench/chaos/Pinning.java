package io.herald.bench.chaos;

import io.herald.bench.target.Affinity;
import java.io.IOException;
import java.util.List;

/**
 * Herald on core 0 and the chaos process on the others, as load from other machines would be:
 * otherwise what a fault measures is as much the load generator's own scheduling as Herald's
 * answer.
 */
final class Pinning {
  private Pinning() {}

  /** Whether there is a core to spare for this process, and taskset to move it there. */
  static boolean possible() {
    return Runtime.getRuntime().availableProcessors() >= 2 && Affinity.available();
  }

  /** {@code command} on core 0 when {@code pin}, else as it is. */
  static List<String> server(boolean pin, List<String> command) {
    return pin ? Affinity.on("0", command) : command;
  }

  /**
   * Every thread of this process onto {@code cpus} (taskset's list form); later threads inherit it.
   */
  static void self(String cpus) throws IOException, InterruptedException {
    Affinity.moveThisProcess(cpus);
  }
}
