package io.herald.testkit;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A nats-server with JetStream of the test's own on a free port, its store in a temporary
 * directory: stopping it deletes the store, so a start after it has lost everything (as a NATS
 * whose disk was lost, or a new empty one).
 */
public final class NatsServer implements EngineServer {
  public final int port = Ports.free();
  private Process process;
  private Path store;

  @Override
  public NatsServer start() throws IOException {
    store = Files.createTempDirectory("herald-nats");
    process =
        ServerProcess.start(
            List.of(
                "nats-server",
                "-a",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-js",
                "-sd",
                store.toString()),
            port);
    return this;
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  @Override
  public Map<String, String> env() {
    return Map.of("HERALD_ENGINE", "nats", "NATS_URL", url());
  }

  @Override
  public long following(String channel)
      throws IOException, InterruptedException, JetStreamApiException {
    try (Connection c = Nats.connect(url())) {
      String stream = "herald_" + channel.replace(".", "_2e_");
      try {
        return c.jetStreamManagement().getStreamInfo(stream).getStreamState().getConsumerCount();
      } catch (JetStreamApiException e) {
        return 0; // no stream yet: nobody follows it
      }
    }
  }

  @Override
  public void stop() throws IOException, InterruptedException {
    if (process == null) return;
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    process = null;
    try (Stream<Path> files = Files.walk(store)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
