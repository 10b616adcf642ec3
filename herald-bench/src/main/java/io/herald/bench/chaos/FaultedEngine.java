package io.herald.bench.chaos;

import io.herald.testkit.NatsClusterSet;
import io.herald.testkit.RedisClusterSet;
import io.herald.testkit.RedisSentinelSet;
import io.herald.testkit.TcpProxy;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The engine under an engine fault's push-hub nodes and what the fault does to it a third of the
 * way in: one kind per fault, so {@link EngineFault} runs the same load and count on each.
 */
sealed interface FaultedEngine extends AutoCloseable {
  /**
   * Acknowledged once a replica has it: without it a Redis failover may lose what the master
   * acknowledged last.
   */
  Map<String, String> WAIT_ONE = Map.of("HERALD_REDIS_MIN_REPLICAS", "1");

  /**
   * The slot of push-hub's one channel ({@code push-hub}; its keys are {@code
   * <prefix>:{push-hub}:<kind>}, and the cluster hashes only what is between the braces): the
   * busiest channel's, the one to take the master of.
   */
  String PUSH_HUB_TAG = "{push-hub}";

  /** The environment of node {@code node}. */
  Map<String, String> env(int node);

  /**
   * Does the fault, returning once it is over; what was done, for the progress line and the note.
   */
  String inject() throws Exception;

  /** After the publisher ends, before clients are counted: brings back what the fault took away. */
  default void restore() throws Exception {}

  /** The setting the promise depends on, for the note (empty: none). */
  default String setting() {
    return "";
  }

  /** Starts the engine of {@code fault}, saying what it starts. */
  static FaultedEngine start(String fault, Consumer<String> say) throws Exception {
    return switch (fault) {
      case "redis-failover" -> {
        say.accept("starting Redis Sentinel (a master, two replicas, three sentinels)");
        RedisSentinelSet set = new RedisSentinelSet(2).start();
        yield new Failover(
            set.env(),
            () ->
                "the Sentinel master SIGKILLed; a replica promoted in " + set.killMaster() + " ms",
            set);
      }
      case "redis-cluster-failover" -> {
        // Two replicas a master: the promoted one still has a replica to WAIT for.
        say.accept("starting a Redis Cluster (three masters, two replicas each)");
        RedisClusterSet set = new RedisClusterSet(2).start();
        yield new Failover(set.env(), () -> killSlotMaster(set), set);
      }
      case "nats-server-kill" -> {
        say.accept("starting three NATS servers");
        yield new Nats(new NatsClusterSet().start());
      }
      case "engine-partition" -> {
        say.accept("starting a TCP proxy between node 0 and the machine's Redis");
        yield new Partition(new TcpProxy(6379));
      }
      default -> throw new IllegalArgumentException("not an engine fault: " + fault);
    };
  }

  private static Map<String, String> with(Map<String, String> env, Map<String, String> more) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(more);
    return all;
  }

  /**
   * redis-failover and redis-cluster-failover: a master SIGKILLed by {@code kill}, which returns
   * once a replica serves in its place; publishes are acknowledged once a replica has them.
   */
  record Failover(Map<String, String> redis, Kill kill, AutoCloseable set)
      implements FaultedEngine {
    /**
     * SIGKILLs the master and awaits its replica's promotion: what was done, and how long the
     * promotion took.
     */
    interface Kill {
      String master() throws Exception;
    }

    @Override
    public Map<String, String> env(int node) {
      return with(redis, WAIT_ONE);
    }

    @Override
    public String inject() throws Exception {
      return kill.master();
    }

    @Override
    public String setting() {
      return "HERALD_REDIS_MIN_REPLICAS=1";
    }

    @Override
    public void close() throws Exception {
      set.close();
    }
  }

  /** The cluster's kill: the master of push-hub's slot. */
  private static String killSlotMaster(RedisClusterSet cluster) throws Exception {
    int slot = cluster.slotOf(PUSH_HUB_TAG);
    int port = cluster.masterOf(slot);
    long ms = cluster.killMaster(slot);
    return "the master of push-hub's slot "
        + slot
        + " (port "
        + port
        + ") SIGKILLed; a replica promoted (serving the slot, "
        + "cluster_state ok) in "
        + ms
        + " ms";
  }

  /**
   * nats-server-kill: one of three servers SIGKILLed, started again on its store once the publisher
   * ends.
   */
  record Nats(NatsClusterSet set) implements FaultedEngine {
    @Override
    public Map<String, String> env(int node) {
      return set.env();
    }

    @Override
    public String inject() throws Exception {
      set.kill(0);
      return "one of three NATS servers SIGKILLed";
    }

    @Override
    public void restore() throws Exception {
      set.restart(0);
    }

    @Override
    public String setting() {
      return "HERALD_NATS_REPLICAS=3";
    }

    @Override
    public void close() throws Exception {
      set.close();
    }
  }

  /**
   * engine-partition: node 0 reaches the machine's Redis through a proxy that stops forwarding for
   * a while.
   */
  record Partition(TcpProxy proxy) implements FaultedEngine {
    static final long PARTITION_MS = 5000;

    @Override
    public Map<String, String> env(int node) {
      return Map.of(
          "HERALD_ENGINE",
          "redis",
          "REDIS_URL",
          "redis://127.0.0.1:" + (node == 0 ? proxy.port() : 6379));
    }

    @Override
    public String inject() throws Exception {
      proxy.partition();
      Thread.sleep(PARTITION_MS);
      proxy.heal();
      return "node 0 cut from Redis for "
          + PARTITION_MS / 1000
          + " s (silently: no byte either way, no connection closed), then reconnected";
    }

    @Override
    public void close() throws Exception {
      proxy.close();
    }
  }
}
