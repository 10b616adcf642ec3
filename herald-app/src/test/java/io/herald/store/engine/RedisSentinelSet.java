package io.herald.store.engine;

import static org.awaitility.Awaitility.await;

import io.herald.testing.Ports;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A master, its replicas and three sentinels of the test's own on free loopback ports, no persistence: what a team runs
 * to survive losing its Redis machine. {@link #killMaster} SIGKILLs the current master; the sentinels promote the
 * replica within about two seconds ({@value #DOWN_AFTER_MS} ms to notice, then a vote).
 */
final class RedisSentinelSet implements AutoCloseable {
  static final String MASTER = "herald";
  static final int DOWN_AFTER_MS = 1000;
  private final Path dir;
  private final List<Integer> dataPorts = new ArrayList<>();
  private final List<Process> data = new ArrayList<>();
  private final int replicas;
  private final List<Integer> sentinelPorts = List.of(Ports.free(), Ports.free(), Ports.free());
  private final List<Process> sentinels = new ArrayList<>();

  /** @param replicas how many replicas the master has (2 keeps one beside the new master after a failover) */
  RedisSentinelSet(int replicas) throws IOException {
    this.replicas = replicas;
    for (int i = 0; i <= replicas; i++) dataPorts.add(Ports.free());
    dir = Files.createTempDirectory("herald-sentinel");
  }

  RedisSentinelSet start() throws IOException {
    int master = dataPorts.get(0);
    data.add(redis(master, List.of()));
    for (int port : dataPorts.subList(1, dataPorts.size())) {
      data.add(redis(port, List.of("--replicaof", "127.0.0.1", Integer.toString(master))));
    }
    for (int port : dataPorts) Processes.awaitPort(port);
    for (int i = 0; i < 3; i++) {
      int port = sentinelPorts.get(i);
      Path conf = dir.resolve("sentinel-" + port + ".conf");
      Files.writeString(conf, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
          "sentinel monitor " + MASTER + " 127.0.0.1 " + master + " 2",
          "sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER_MS,
          "sentinel failover-timeout " + MASTER + " 5000", "sentinel parallel-syncs " + MASTER + " 1", ""));
      sentinels.add(Processes.start(dir, "sentinel-" + port, List.of("redis-server", conf.toString(), "--sentinel")));
    }
    for (int port : sentinelPorts) Processes.awaitPort(port);
    // Ready once every sentinel knows the replica (it learns it from the master's INFO, within a second or so).
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> sentinelPorts.stream().allMatch(p -> replicasKnown(p) == replicas));
    awaitReplicated();
    return this;
  }

  private Process redis(int port, List<String> more) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--dir", dir.toString()));
    cmd.addAll(more);
    return Processes.start(dir, "redis-" + port, cmd);
  }

  /** REDIS_URL for Herald: every sentinel, and the master's name. */
  String url() {
    return "redis-sentinel://" + sentinelPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")) + "/?master=" + MASTER;
  }

  /** The current master as the sentinels report it. */
  int masterPort() {
    RedisClient c = RedisClient.create("redis://127.0.0.1:" + sentinelPorts.getFirst());
    try (var s = c.connectSentinel()) {
      return ((InetSocketAddress) s.sync().getMasterAddrByName(MASTER)).getPort();
    } finally {
      c.shutdown();
    }
  }

  /** A direct connection to the current master (the test's own look at the data). */
  StatefulRedisConnection<String, String> master(RedisClient[] holder) {
    holder[0] = RedisClient.create("redis://127.0.0.1:" + masterPort());
    return holder[0].connect();
  }

  /** Returns once every replica has everything the master wrote so far. */
  void awaitReplicated() {
    RedisClient c = RedisClient.create("redis://127.0.0.1:" + masterPort());
    try (var conn = c.connect()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> conn.sync().waitForReplication(replicas, 500) >= replicas);
    } finally {
      c.shutdown();
    }
  }

  /** SIGKILLs the master, then returns once the sentinels name another one. */
  long killMaster() throws InterruptedException {
    int old = masterPort();
    long start = System.nanoTime();
    Processes.kill(data.get(dataPorts.indexOf(old)));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> masterPort() != old);
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Stops (SIGSTOP) or resumes (SIGCONT) the replicas: while stopped they take nothing from the master. */
  void replicas(boolean running) throws IOException, InterruptedException {
    int master = masterPort();
    for (int i = 0; i < data.size(); i++) if (dataPorts.get(i) != master) Processes.signal(data.get(i), running ? "CONT" : "STOP");
  }

  private int replicasKnown(int sentinelPort) {
    RedisClient c = RedisClient.create("redis://127.0.0.1:" + sentinelPort);
    try (var s = c.connectSentinel()) {
      return (int) s.sync().replicas(MASTER).stream().filter(r -> !r.getOrDefault("flags", "").contains("down")).count();
    } finally {
      c.shutdown();
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : sentinels) Processes.kill(p);
    for (Process p : data) {
      Processes.signal(p, "CONT");
      Processes.kill(p);
    }
    Processes.delete(dir);
  }
}
