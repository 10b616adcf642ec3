package io.herald.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of the test's own: {@value #MASTERS} masters with their replicas, on free
 * loopback ports, no persistence, a node timeout of {@value #NODE_TIMEOUT_MS} ms. {@link
 * #killMaster} SIGKILLs the master of a key's slot; its replica takes over once the other masters
 * agree it failed (about two node timeouts). Administered with {@code redis-cli}, so the fault
 * scripts can use it without a Redis library.
 */
public final class RedisClusterSet implements EngineServers {
  public static final int MASTERS = 3;
  static final int NODE_TIMEOUT_MS = 1000;

  /** Redis Cluster's bus listens on the client port plus this. */
  private static final int BUS_OFFSET = 10_000;

  private final Path dir;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> nodes = new ArrayList<>();

  /**
   * Ports of nodes stopped with SIGSTOP: never asked anything (redis-cli would wait for them
   * forever).
   */
  private final List<Integer> stopped = new CopyOnWriteArrayList<>();

  private final int replicas;

  /**
   * @param replicas per master (2 keeps one beside the new master after a failover, for WAIT)
   */
  public RedisClusterSet(int replicas) throws IOException {
    this.replicas = replicas;
    dir = Files.createTempDirectory("herald-redis-cluster");
    while (ports.size() < (1 + replicas) * MASTERS) {
      int port = Ports.free();
      if (port + BUS_OFFSET <= 65_535 && !ports.contains(port) && free(port + BUS_OFFSET))
        ports.add(port);
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  public RedisClusterSet start() throws IOException, InterruptedException {
    for (int port : ports) {
      nodes.add(
          Processes.start(
              dir,
              "redis-" + port,
              List.of(
                  "redis-server",
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--cluster-enabled",
                  "yes",
                  "--cluster-config-file",
                  dir.resolve("nodes-" + port + ".conf").toString(),
                  "--cluster-node-timeout",
                  Integer.toString(NODE_TIMEOUT_MS),
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--dir",
                  dir.toString())));
    }
    for (int port : ports) Processes.awaitPort(port);
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    for (int port : ports) create.add("127.0.0.1:" + port);
    create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
    String out = Processes.output(create);
    if (!out.contains("All 16384 slots covered"))
      throw new IOException("redis-cli --cluster create failed:\n" + out);
    awaitHealthy(ports);
    // Every replica attached, so a failover has someone to promote.
    Processes.await(
        "every master with its replicas",
        Duration.ofSeconds(20),
        Duration.ofMillis(100),
        () -> {
          List<Integer> masters = masters();
          for (int m : masters)
            if (!cli(m, "INFO", "replication").contains("connected_slaves:" + replicas))
              return false;
          return masters.size() == MASTERS;
        });
    return this;
  }

  private void awaitHealthy(List<Integer> alive) throws IOException {
    Processes.await(
        "cluster_state:ok on every node",
        Duration.ofSeconds(30),
        Duration.ofMillis(100),
        () -> {
          for (int p : alive)
            if (!cli(p, "CLUSTER", "INFO").contains("cluster_state:ok")) return false;
          return true;
        });
  }

  /** REDIS_URL for Herald: every node as a seed. */
  public String url() {
    return "redis-cluster://"
        + ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","))
        + "/";
  }

  /** The environment that puts a Herald node on it. */
  @Override
  public List<Long> pids() {
    return nodes.stream().filter(Process::isAlive).map(Process::pid).toList();
  }

  @Override
  public Map<String, String> env() {
    return Map.of("HERALD_ENGINE", "redis", "REDIS_URL", url());
  }

  /** The slot of a key (or pub/sub channel), as the cluster computes it. */
  public int slotOf(String key) throws IOException, InterruptedException {
    return Integer.parseInt(cli(alive().getFirst(), "CLUSTER", "KEYSLOT", key));
  }

  /** The port of the master that serves {@code slot} now. */
  public int masterOf(int slot) throws IOException, InterruptedException {
    for (int port : masters()) {
      for (String line : cli(port, "CLUSTER", "NODES").split("\n")) {
        String[] f = line.strip().split(" ");
        if (f.length < 9 || !f[2].contains("myself")) continue;
        for (int i = 8; i < f.length; i++) if (covers(f[i], slot)) return port;
      }
    }
    throw new IOException("no live master serves slot " + slot);
  }

  private static boolean covers(String range, int slot) {
    if (range.startsWith("[")) return false; // a slot being migrated
    String[] r = range.split("-");
    int from = Integer.parseInt(r[0]);
    int to = r.length == 1 ? from : Integer.parseInt(r[1]);
    return slot >= from && slot <= to;
  }

  /** The ports of the live masters. */
  public List<Integer> masters() throws IOException, InterruptedException {
    List<Integer> masters = new ArrayList<>();
    for (int port : alive()) if (cli(port, "ROLE").startsWith("master")) masters.add(port);
    return masters;
  }

  private List<Integer> alive() {
    List<Integer> alive = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++)
      if (nodes.get(i).isAlive() && !stopped.contains(ports.get(i))) alive.add(ports.get(i));
    return alive;
  }

  /**
   * SIGKILLs the master of {@code slot}, then returns once another node serves the slot and every
   * live node says cluster_state:ok: how long that took, in ms.
   */
  public long killMaster(int slot) throws IOException, InterruptedException {
    int old = masterOf(slot);
    long start = System.nanoTime();
    Processes.kill(nodes.get(ports.indexOf(old)));
    Processes.await(
        "a replica serving slot " + slot,
        Duration.ofSeconds(30),
        Duration.ofMillis(20),
        () -> masterOf(slot) != old);
    awaitHealthy(alive());
    return (System.nanoTime() - start) / 1_000_000;
  }

  /**
   * Stops (SIGSTOP) the replicas of the master of {@code slot}: while stopped they take nothing; or
   * resumes (SIGCONT) every node stopped so.
   */
  public void replicasOf(int slot, boolean running) throws IOException, InterruptedException {
    if (running) {
      for (int port : stopped) Processes.signal(nodes.get(ports.indexOf(port)), "CONT");
      stopped.clear();
      return;
    }
    String masterId = cli(masterOf(slot), "CLUSTER", "MYID");
    for (int port : alive()) {
      String role =
          cli(port, "CLUSTER", "NODES")
              .lines()
              .filter(l -> l.contains("myself"))
              .findFirst()
              .orElse("");
      if (role.contains(" " + masterId + " ")) {
        Processes.signal(nodes.get(ports.indexOf(port)), "STOP");
        stopped.add(port);
      }
    }
  }

  /**
   * Returns once the replicas of the master of {@code slot} have everything that master wrote so
   * far.
   */
  public void awaitReplicated(int slot) throws IOException, InterruptedException {
    int master = masterOf(slot);
    Processes.await(
        "replicas in step",
        Duration.ofSeconds(10),
        Duration.ofMillis(10),
        () -> Integer.parseInt(cli(master, "WAIT", Integer.toString(replicas), "500")) >= replicas);
  }

  /** Runs redis-cli against one node (no -c: the answer is that node's, redirects included). */
  public static String cli(int port, String... args) throws IOException, InterruptedException {
    return Processes.redisCli(port, args);
  }

  @Override
  public void close() throws Exception {
    for (Process p : nodes) {
      Processes.signal(p, "CONT");
      Processes.kill(p);
    }
    Processes.delete(dir);
  }
}
