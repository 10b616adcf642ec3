package io.herald.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** RSS and CPU time of a process, read from /proc (Linux). */
public record ProcStats(long rssBytes, double cpuSeconds) {
  /** USER_HZ: Linux reports utime/stime in clock ticks of 1/100 s on every common architecture. */
  private static final double TICKS_PER_SECOND = 100.0;

  /** Two processes' figures together: one server of several processes. */
  public ProcStats plus(ProcStats other) {
    return new ProcStats(rssBytes + other.rssBytes, cpuSeconds + other.cpuSeconds);
  }

  public static ProcStats of(long pid) {
    try {
      long rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      double cpu =
          (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // utime, stime
      return new ProcStats(rss, cpu);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc for pid " + pid, e);
    }
  }
}
