package io.herald.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A master, its replicas and three sentinels of the test's own on free loopback ports, no
 * persistence: what a team runs to survive losing its Redis machine. {@link #killMaster} SIGKILLs
 * the current master; the sentinels promote a replica within about two seconds ({@value
 * #DOWN_AFTER_MS} ms to notice, then a vote). Administered with {@code redis-cli}, so the fault
 * scripts can use it without a Redis library.
 */
public final class RedisSentinelSet implements EngineServers {
  public static final String MASTER = "herald";
  static final int DOWN_AFTER_MS = 1000;
  private final Path dir;
  private final List<Integer> dataPorts = new ArrayList<>();
  private final List<Process> data = new ArrayList<>();
  private final List<Integer> sentinelPorts = List.of(Ports.free(), Ports.free(), Ports.free());
  private final List<Process> sentinels = new ArrayList<>();
  private final int replicas;

  /**
   * @param replicas how many replicas the master has (2 keeps one beside the new master after a
   *     failover)
   */
  public RedisSentinelSet(int replicas) throws IOException {
    this.replicas = replicas;
    for (int i = 0; i <= replicas; i++) dataPorts.add(Ports.free());
    dir = Files.createTempDirectory("herald-sentinel");
  }

  public RedisSentinelSet start() throws IOException, InterruptedException {
    int master = dataPorts.getFirst();
    data.add(redis(master, List.of()));
    for (int port : dataPorts.subList(1, dataPorts.size())) {
      data.add(redis(port, List.of("--replicaof", "127.0.0.1", Integer.toString(master))));
    }
    for (int port : dataPorts) Processes.awaitPort(port);
    for (int port : sentinelPorts) {
      Path conf = dir.resolve("sentinel-" + port + ".conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "port " + port,
              "bind 127.0.0.1",
              "dir " + dir,
              "sentinel monitor " + MASTER + " 127.0.0.1 " + master + " 2",
              "sentinel down-after-milliseconds " + MASTER + " " + DOWN_AFTER_MS,
              "sentinel failover-timeout " + MASTER + " 5000",
              "sentinel parallel-syncs " + MASTER + " 1",
              ""));
      sentinels.add(
          Processes.start(
              dir, "sentinel-" + port, List.of("redis-server", conf.toString(), "--sentinel")));
    }
    for (int port : sentinelPorts) Processes.awaitPort(port);
    // Ready once every sentinel knows every replica (each learns them from the master's INFO within
    // a second or so).
    Processes.await(
        "sentinels knowing the replicas",
        Duration.ofSeconds(20),
        Duration.ofMillis(100),
        () -> sentinelPorts.stream().allMatch(p -> replicasKnown(p) == replicas));
    awaitReplicated();
    return this;
  }

  private Process redis(int port, List<String> more) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    cmd.addAll(more);
    return Processes.start(dir, "redis-" + port, cmd);
  }

  /** REDIS_URL for Herald: every sentinel, and the master's name. */
  public String url() {
    return "redis-sentinel://"
        + sentinelPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","))
        + "/?master="
        + MASTER;
  }

  /** The environment that puts a Herald node on it. */
  @Override
  public Map<String, String> env() {
    return Map.of("HERALD_ENGINE", "redis", "REDIS_URL", url());
  }

  /** The current master's port, as the first sentinel that answers reports it. */
  public int masterPort() throws IOException, InterruptedException {
    for (int port : sentinelPorts) {
      String[] lines =
          Processes.redisCli(port, "SENTINEL", "get-master-addr-by-name", MASTER).split("\n");
      if (lines.length == 2 && lines[1].strip().matches("\\d+"))
        return Integer.parseInt(lines[1].strip());
    }
    throw new IOException("no sentinel names a master");
  }

  /** Returns once every replica has everything the master wrote so far. */
  public void awaitReplicated() throws IOException, InterruptedException {
    int master = masterPort();
    Processes.await(
        "replicas in step",
        Duration.ofSeconds(10),
        Duration.ofMillis(10),
        () ->
            Integer.parseInt(Processes.redisCli(master, "WAIT", Integer.toString(replicas), "500"))
                >= replicas);
  }

  /**
   * SIGKILLs the master, then returns once the sentinels name another one: how long that took, in
   * ms.
   */
  public long killMaster() throws IOException, InterruptedException {
    int old = masterPort();
    long start = System.nanoTime();
    Processes.kill(data.get(dataPorts.indexOf(old)));
    Processes.await(
        "a new master named",
        Duration.ofSeconds(30),
        Duration.ofMillis(50),
        () -> masterPort() != old);
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * Every process of the set (data nodes and sentinels): what the engine costs is their CPU
   * together.
   */
  @Override
  public List<Long> pids() {
    List<Long> all = new ArrayList<>();
    for (Process p : data) if (p.isAlive()) all.add(p.pid());
    for (Process p : sentinels) if (p.isAlive()) all.add(p.pid());
    return all;
  }

  /**
   * Stops (SIGSTOP) or resumes (SIGCONT) the replicas: while stopped they take nothing from the
   * master.
   */
  public void replicas(boolean running) throws IOException, InterruptedException {
    int master = masterPort();
    for (int i = 0; i < data.size(); i++)
      if (dataPorts.get(i) != master) Processes.signal(data.get(i), running ? "CONT" : "STOP");
  }

  /** How many replicas the sentinel knows and thinks up (-1 when it does not answer). */
  private int replicasKnown(int sentinelPort) {
    String[] lines;
    try {
      lines = Processes.redisCli(sentinelPort, "SENTINEL", "replicas", MASTER).split("\n");
    } catch (IOException | InterruptedException e) {
      return -1;
    }
    // One line per field: the flags line follows "flags"; a replica that is not down has no "down"
    // in it.
    int up = 0;
    for (int i = 0; i + 1 < lines.length; i++)
      if (lines[i].strip().equals("flags") && !lines[i + 1].contains("down")) up++;
    return up;
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
