package io.herald.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Three nats-servers with JetStream, routed into one cluster, each with its store in the set's
 * temporary directory: what a team runs so that losing one NATS machine loses nothing (streams with
 * three replicas). A killed server can be started again on its port and store, as a machine that
 * reboots.
 */
public final class NatsClusterSet implements EngineServers {
  public static final int SIZE = 3;
  private final Path dir;
  private final List<Integer> clientPorts = new ArrayList<>();
  private final List<Integer> routePorts = new ArrayList<>();
  private final List<Integer> monitorPorts = new ArrayList<>();
  private final Process[] servers = new Process[SIZE];

  /** The last /healthz answer per server, for the message when one never gets healthy. */
  private final String[] health = new String[SIZE];

  public NatsClusterSet() throws IOException {
    for (int i = 0; i < SIZE; i++) {
      clientPorts.add(Ports.free());
      routePorts.add(Ports.free());
      monitorPorts.add(Ports.free());
    }
    dir = Files.createTempDirectory("herald-nats-cluster");
  }

  public NatsClusterSet start() throws IOException {
    for (int i = 0; i < SIZE; i++) startServer(i);
    for (int port : clientPorts) Processes.awaitPort(port);
    // JetStream serves once the servers have elected a meta leader; /healthz?js-enabled-only says
    // so per server.
    Processes.await(
        "JetStream ready on every server",
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        () -> clientPorts.stream().allMatch(this::jetStreamReady));
    return this;
  }

  private void startServer(int i) throws IOException {
    String routes =
        routePorts.stream()
            .filter(p -> p != routePorts.get(i))
            .map(p -> "nats://127.0.0.1:" + p)
            .collect(Collectors.joining(","));
    Path store = dir.resolve("n" + i);
    Files.createDirectories(store);
    servers[i] =
        Processes.start(
            dir,
            "nats-" + i + "-" + System.nanoTime(),
            List.of(
                "nats-server",
                "-a",
                "127.0.0.1",
                "-p",
                Integer.toString(clientPorts.get(i)),
                "-n",
                "herald-n" + i,
                "-js",
                "-sd",
                store.toString(),
                "--cluster_name",
                "herald",
                "--cluster",
                "nats://127.0.0.1:" + routePorts.get(i),
                "--routes",
                routes,
                "-m",
                Integer.toString(monitorPort(i))));
  }

  private int monitorPort(int i) {
    return monitorPorts.get(i);
  }

  private boolean jetStreamReady(int clientPort) {
    int i = clientPorts.indexOf(clientPort);
    try (var c = HttpClient.newHttpClient()) {
      var r =
          c.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + monitorPort(i) + "/healthz"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      health[i] = r.statusCode() + " " + r.body();
      return r.statusCode() == 200;
    } catch (IOException | InterruptedException e) {
      health[i] = e.toString();
      return false;
    }
  }

  /**
   * NATS_URL for Herald: every server (the client also learns the cluster's members from the one it
   * reaches).
   */
  public String url() {
    return clientPorts.stream().map(p -> "nats://127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /** The environment that puts a Herald node on it, streams with three replicas. */
  @Override
  public Map<String, String> env() {
    return Map.of(
        "HERALD_ENGINE", "nats", "NATS_URL", url(), "HERALD_NATS_REPLICAS", Integer.toString(SIZE));
  }

  /** The servers' pids: what the engine costs is their CPU together. */
  @Override
  public List<Long> pids() {
    return Arrays.stream(servers).filter(p -> p != null && p.isAlive()).map(Process::pid).toList();
  }

  /** SIGKILLs server {@code i} (0 to 2). */
  public void kill(int i) throws InterruptedException {
    Processes.kill(servers[i]);
  }

  /** Starts server {@code i} again on its port and store, and returns once it serves JetStream. */
  public void restart(int i) throws IOException {
    startServer(i);
    Processes.awaitPort(clientPorts.get(i));
    try {
      // Catching up with the meta leader took over 30 s once on a loaded CI machine.
      Processes.await(
          "nats-server " + i + " healthy",
          Duration.ofSeconds(90),
          Duration.ofMillis(200),
          () -> jetStreamReady(clientPorts.get(i)));
    } catch (IOException e) {
      throw new IOException(e.getMessage() + ", last /healthz: " + health[i], e);
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : servers) Processes.kill(p);
    Processes.delete(dir);
  }
}
