package io.herald.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * Starts a server binary of a test's own (redis-server, nats-server) and waits until its port
 * accepts connections.
 */
final class ServerProcess {
  private ServerProcess() {}

  /**
   * {@code command} with its output discarded; returns once 127.0.0.1:{@code port} accepts, within
   * 10 s.
   */
  static Process start(List<String> command, int port) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .failFast("the server exited", () -> !p.isAlive())
        .until(
            () -> {
              try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
              }
            });
    return p;
  }
}
