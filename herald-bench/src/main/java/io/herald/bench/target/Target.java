package io.herald.bench.target;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A server under test: how to start it. The targets of one list serve the same contract, so one
 * load generator drives them all: {@link #all} push-hub's (GET /ws, POST /api/v1/broadcast), {@link
 * #socketIo} seed 003's (Socket.IO at /socket.io/, POST /api/broadcast/global and /room); every one
 * answers GET /health.
 */
public record Target(String name, List<String> command, Map<String, String> env) {
  /**
   * The benchmark's targets, started from the repository root: Herald and the three reference
   * peers, and c-floor, a minimal C broadcaster (bench/peers/c-floor) that measures what the
   * machine itself allows, and herald-journal (Herald keeping its history on disk), the shared
   * engines, herald-uring and herald-warm; those only on request.
   */
  public static List<Target> all(Path root) {
    // Through the launcher, exactly as users run it: same JDK discovery and JVM flags (exec keeps
    // the pid).
    Target herald =
        new Target(
            "herald",
            List.of(root.resolve("herald").toString(), "push-hub"),
            Map.of("HERALD_HOST", "127.0.0.1"));
    Target go =
        new Target(
            "go-gorilla", List.of(root.resolve("bench/peers/go-hub/go-hub").toString()), Map.of());
    Target node =
        new Target(
            "node-ws",
            List.of("bash", root.resolve("bench/peers/run-node.sh").toString()),
            Map.of());
    Target floor =
        new Target(
            "c-floor", List.of(root.resolve("bench/peers/c-floor/floor").toString()), Map.of());
    // nginx with the Nchan module (issue 30): a C pub/sub server, configured by
    // bench/peers/nchan/nginx.conf alone.
    Target nchan =
        new Target(
            "nchan",
            List.of("bash", root.resolve("bench/peers/run-nchan.sh").toString()),
            Map.of());
    // Herald with its history journal (HERALD_HISTORY_DIR): what keeping every event on disk costs.
    // Not run by default.
    Target journal =
        new Target(
            "herald-journal",
            herald.command(),
            Map.of(
                "HERALD_HOST",
                "127.0.0.1",
                "HERALD_HISTORY_DIR",
                root.resolve("bench-results/tmp/journal-" + ProcessHandle.current().pid())
                    .toString()));
    // Herald on the Redis engine (HERALD_ENGINE=redis), one node: what sharing channels through
    // Redis costs.
    Target redis =
        new Target(
            "herald-redis",
            herald.command(),
            Map.of(
                "HERALD_HOST",
                "127.0.0.1",
                "HERALD_ENGINE",
                "redis",
                "HERALD_ENGINE_PREFIX",
                "bench-" + ProcessHandle.current().pid()));
    // The same on NATS JetStream (HERALD_ENGINE=nats, the machine's nats-server on 4222).
    Target nats =
        new Target(
            "herald-nats",
            herald.command(),
            Map.of(
                "HERALD_HOST",
                "127.0.0.1",
                "HERALD_ENGINE",
                "nats",
                "HERALD_ENGINE_PREFIX",
                "bench-" + ProcessHandle.current().pid()));
    // Herald on io_uring (HERALD_TRANSPORT=io_uring; the default is epoll): what the transport
    // changes.
    Target uring =
        new Target(
            "herald-uring",
            herald.command(),
            Map.of("HERALD_HOST", "127.0.0.1", "HERALD_TRANSPORT", "io_uring"));
    // Herald warming its fan-out up before it is ready (HERALD_WARMUP; off by default): what that
    // buys the first steps.
    Target warm =
        new Target(
            "herald-warm",
            herald.command(),
            Map.of("HERALD_HOST", "127.0.0.1", "HERALD_WARMUP", "2s"));
    // The engine's topologies for the cluster scenario (issue 23): the scenario starts each engine
    // itself (BENCH_TOPOLOGY,
    // read by the bench, not by Herald): Redis Sentinel (a master, two replicas, three sentinels)
    // without and with
    // WAIT for one replica, a Redis Cluster of three masters with a replica each, and three NATS
    // servers with streams of
    // three replicas.
    Target sentinel =
        new Target(
            "herald-sentinel",
            herald.command(),
            Map.of("HERALD_HOST", "127.0.0.1", "BENCH_TOPOLOGY", "sentinel"));
    Target sentinelWait =
        new Target(
            "herald-sentinel-wait",
            herald.command(),
            Map.of(
                "HERALD_HOST",
                "127.0.0.1",
                "BENCH_TOPOLOGY",
                "sentinel",
                "HERALD_REDIS_MIN_REPLICAS",
                "1"));
    Target redisCluster =
        new Target(
            "herald-redis-cluster",
            herald.command(),
            Map.of("HERALD_HOST", "127.0.0.1", "BENCH_TOPOLOGY", "redis-cluster"));
    Target natsR3 =
        new Target(
            "herald-nats-r3",
            herald.command(),
            Map.of("HERALD_HOST", "127.0.0.1", "BENCH_TOPOLOGY", "nats-r3"));
    return List.of(
        herald,
        go,
        node,
        nchan,
        floor,
        journal,
        redis,
        nats,
        uring,
        warm,
        sentinel,
        sentinelWait,
        redisCluster,
        natsR3);
  }

  /**
   * The Socket.IO benchmark's targets (seed 003): Herald's websocket service without Kafka (HTTP
   * broadcasts only) and the seed's own stack, Node with the npm socket.io server. Both let any
   * number of sockets in from one address.
   */
  public static List<Target> socketIo(Path root) {
    Target herald =
        new Target(
            "herald-sio",
            List.of(root.resolve("herald").toString(), "websocket"),
            Map.of(
                "HERALD_HOST",
                "127.0.0.1",
                "HERALD_KAFKA_ENABLED",
                "false",
                "MAX_CONNECTIONS_PER_IP",
                "1000000"));
    Target node =
        new Target(
            "node-socketio",
            List.of("bash", root.resolve("bench/peers/run-node-sio.sh").toString()),
            Map.of());
    return List.of(herald, node);
  }
}
