package io.herald.bench.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A load balancer's probes of one port's /health: each one is curl, a process of its own, opening a
 * new connection; its own timer (connect to last byte) is the figure. Measured from this JVM
 * instead, the figure was mostly the flood's own load on this process (curl saw 3-9 ms where this
 * process's probe saw 40-200 ms, at the same moments).
 */
final class Probes {
  private final int port;
  private final List<Long> millis = Collections.synchronizedList(new ArrayList<>());
  private int failed;

  Probes(int port) {
    this.port = port;
  }

  /** One probe: its time in ms, or a failure without a 200 within ten times the deadline. */
  void probe() {
    long ms = once();
    if (ms >= 0) millis.add(ms);
    else
      synchronized (this) {
        failed++;
      }
  }

  int count() {
    return millis.size();
  }

  synchronized int failed() {
    return failed;
  }

  List<Long> sorted() {
    List<Long> s = new ArrayList<>(millis);
    Collections.sort(s);
    return s;
  }

  /** Every probe answered 200 within {@code deadlineMs}. */
  boolean within(long deadlineMs) {
    List<Long> s = sorted();
    return failed() == 0 && !s.isEmpty() && s.getLast() <= deadlineMs;
  }

  /** {@code median 4 ms, max 9 ms (20 probes, 0 failed)}. */
  String summary() {
    List<Long> s = sorted();
    if (s.isEmpty()) return "no answer (" + failed() + " failed)";
    return "median "
        + s.get(s.size() / 2)
        + " ms, max "
        + s.getLast()
        + " ms ("
        + s.size()
        + " probes, "
        + failed()
        + " failed)";
  }

  private long once() {
    try {
      Process p =
          new ProcessBuilder(
                  "curl",
                  "-s",
                  "-o",
                  "/dev/null",
                  "--max-time",
                  Double.toString(ConnectionFloodFault.HEALTH_DEADLINE_MS * 10 / 1000.0),
                  "-w",
                  "%{http_code} %{time_total}",
                  "http://127.0.0.1:" + port + "/health")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      String[] f = out.split(" ");
      return f.length == 2 && f[0].equals("200") ? Math.round(Double.parseDouble(f[1]) * 1000) : -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
