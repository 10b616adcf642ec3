package io.herald.bench.target;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  public static RunningTarget start(Target t, int port, Path logDir) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(t.command()).redirectErrorStream(true)
        .redirectOutput(logDir.resolve(t.name() + ".log").toFile());
    pb.environment().putAll(t.env());
    pb.environment().put("PORT", Integer.toString(port));
    long t0 = System.nanoTime();
    Process p = pb.start();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(200)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(1)).build();
    while (System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos()) {
      if (!p.isAlive()) throw new IOException(t.name() + " exited: " + Files.readString(logDir.resolve(t.name() + ".log")));
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return new RunningTarget(t, port, p, Duration.ofNanos(System.nanoTime() - t0));
        }
      } catch (IOException e) {
        Thread.sleep(5);  // not listening yet
      }
    }
    p.destroyForcibly();
    throw new IOException(t.name() + " did not become ready within 60 s");
  }

  public ProcStats stats() {
    return ProcStats.of(process.pid());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(Duration.ofSeconds(20))) process.destroyForcibly().waitFor();
  }
}
