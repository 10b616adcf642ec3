package io.herald.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Herald process (the real entry point, in its own JVM) on a free port: a node of a cluster,
 * which a test can kill with SIGKILL.
 */
public final class HeraldNode implements AutoCloseable {
  public final int port;
  private final Process process;
  private final Path log;

  private HeraldNode(String service, Map<String, String> env, int port) throws IOException {
    this.port = port;
    log = Files.createTempFile("herald-node", ".log");
    ProcessBuilder pb =
        process(env, service).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("HERALD_HOST", "127.0.0.1");
    process = pb.start();
  }

  /**
   * The real entry point ({@code io.herald.app.Main args}) in a JVM of its own, on the tests'
   * classpath, with {@code env} instead of whatever Herald variables the test run has.
   */
  public static ProcessBuilder process(Map<String, String> env, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                // C1 only, as the test JVMs run: a node starts in 1.2 s instead of 1.7 s here and
                // spends no CPU on C2 compiles that the other nodes of a test would wait for.
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.herald.app.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("HERALD_") || k.equals("PORT") || k.equals("REDIS_URL"));
    pb.environment().putAll(env);
    return pb;
  }

  /** Starts {@code service} and waits until /health answers 200 (every dependency up). */
  public static HeraldNode start(String service, Map<String, String> env) throws IOException {
    return start(service, env, Ports.free());
  }

  /** The same on {@code port}: a node restarted where its clients reconnect. */
  public static HeraldNode start(String service, Map<String, String> env, int port)
      throws IOException {
    HeraldNode n = new HeraldNode(service, env, port);
    n.awaitHealthy();
    return n;
  }

  /**
   * {@code count} nodes of {@code service}, their JVMs started side by side (the machine's cores
   * share the start-up), each on a free port; returned once every one answers /health with 200.
   */
  public static List<HeraldNode> startAll(int count, String service, Map<String, String> env)
      throws IOException {
    List<HeraldNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) nodes.add(new HeraldNode(service, env, Ports.free()));
      for (HeraldNode n : nodes) n.awaitHealthy();
    } catch (IOException | RuntimeException e) {
      nodes.forEach(HeraldNode::close);
      throw e;
    }
    return nodes;
  }

  private void awaitHealthy() {
    try {
      // A process that exited will never answer: fail at once with its log, not after the minute.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .failFast("the node exited", () -> !process.isAlive())
          .until(() -> Http.get(port, "/health").statusCode() == 200);
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("node did not become healthy; its log:\n" + output(), e);
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no goodbye to clients, nothing flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
