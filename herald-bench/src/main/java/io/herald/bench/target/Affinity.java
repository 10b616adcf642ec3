package io.herald.bench.target;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU affinity through util-linux's {@code taskset}: a command started on given cores, or every
 * thread of this JVM moved onto them. The JDK has no affinity API, and taskset is what a reader
 * would type to reproduce a run. {@code cpus} is taskset's list form ("0", "1", "0-1").
 */
public final class Affinity {
  private Affinity() {}

  /** Whether taskset is installed (Debian's util-linux has it). */
  public static boolean available() {
    return Prerequisites.onPath("taskset").isPresent();
  }

  /**
   * {@code command} started on {@code cpus}: taskset execs it, so the pid the bench holds is the
   * command's.
   */
  public static List<String> on(String cpus, List<String> command) {
    List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
    pinned.addAll(command);
    return List.copyOf(pinned);
  }

  /**
   * Every thread of this process onto {@code cpus} ({@code taskset -a -p}); threads started later
   * inherit the mask of the thread that starts them, and so do child processes.
   */
  public static void moveThisProcess(String cpus) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (p.waitFor() != 0)
      throw new IOException("taskset -a -p -c " + cpus + " exited with " + p.exitValue());
  }
}
