package io.herald.bench.target;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A started target process: its port, pid, and how long it took to answer GET /health. */
public final class RunningTarget implements AutoCloseable {
  public final Target target;
  public final int port;
  public final Process process;
  public final Duration startup;

  private RunningTarget(Target target, int port, Process process, Duration startup) {
    this.target = target;
    this.port = port;
    this.process = process;
    this.startup = startup;
  }

  public static RunningTarget start(Target t, int port, Path logDir)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(t.command())
            .redirectErrorStream(true)
            .redirectOutput(logDir.resolve(t.name() + ".log").toFile());
    pb.environment().putAll(t.env());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment()
        .put(
            "BENCH_OUT", logDir.toString()); // where a peer keeps its files (nchan: nginx's prefix)
    long t0 = System.nanoTime();
    Process p = pb.start();
    while (System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos()) {
      if (!p.isAlive())
        throw new IOException(
            t.name() + " exited: " + Files.readString(logDir.resolve(t.name() + ".log")));
      if (healthy(port))
        return new RunningTarget(t, port, p, Duration.ofNanos(System.nanoTime() - t0));
      Thread.sleep(5);
    }
    p.destroyForcibly();
    throw new IOException(t.name() + " did not become ready within 60 s");
  }

  /**
   * One GET /health on a plain socket. The probe runs every 5 ms while the target starts, on the
   * same two cores: the JDK's HttpClient spent enough CPU per refused attempt (a new connection,
   * futures, an exception) to slow a starting JVM down measurably, so the probe is a blocking
   * connect and one status line.
   */
  private static boolean healthy(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(1000);
      s.getOutputStream()
          .write(
              "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] status = s.getInputStream().readNBytes(12); // "HTTP/1.1 200"
      return new String(status, StandardCharsets.US_ASCII).endsWith(" 200");
    } catch (IOException e) {
      return false; // not listening yet, or not ready
    }
  }

  /**
   * The target's RSS and CPU time: its process and the processes it started, summed, since a server
   * may serve from a child (nginx: the master the bench holds does no serving, its worker does).
   */
  public ProcStats stats() {
    ProcStats sum = ProcStats.of(process.pid());
    for (ProcessHandle child : process.descendants().toList()) {
      try {
        sum = sum.plus(ProcStats.of(child.pid()));
      } catch (IllegalStateException e) {
        // exited between the listing and the read: its CPU is no longer the target's
      }
    }
    return sum;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(Duration.ofSeconds(20))) process.destroyForcibly().waitFor();
  }
}
