package io.herald.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * How every Herald service talks to Redis (Lettuce): reconnect by itself, and while disconnected
 * fail commands at once instead of queueing them, so a caller answers 503 or retries with backoff
 * rather than hanging.
 *
 * <p>A {@code redis-sentinel://} URL puts the client behind Redis Sentinel: Lettuce asks the
 * sentinels for the master on every (re)connect, so after a failover the next reconnect reaches the
 * promoted replica. The reconnect delay is capped at {@link #MAX_RECONNECT_DELAY} (Lettuce's
 * default grows to 30 s), so that a node is back within about a second of the new master being
 * announced instead of sleeping through it.
 *
 * <p>A {@code redis-cluster://} URL is a Redis Cluster ({@link #clusterClient}), for the engine
 * only.
 */
public final class Redis {
  static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  /**
   * One set of I/O threads for every Redis client of the process (services, engine, shared state):
   * on a small machine a set per client is a dozen idle threads each. Lettuce's threads are
   * daemons; the set lives as long as the process.
   */
  private static final class Shared {
    static final ClientResources RESOURCES =
        DefaultClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
            .build();
  }

  /**
   * No command is sent again after a reconnect (Lettuce's default re-sends those in flight when the
   * link dropped): a publish script that already ran on a master now dead would run a second time
   * on the new one (a second event), and a WAIT sent again to the new master counts none of the
   * script's writes and would acknowledge an event only the dead master had. Such a command times
   * out instead (the publish gets 503: not acknowledged).
   */
  static final Predicate<RedisCommand<?, ?, ?>> NEVER_REPLAY = command -> true;

  private Redis() {}

  /**
   * @param timeout how long one command may take before it fails
   */
  public static RedisClient client(String url, Duration timeout) {
    RedisClient client = RedisClient.create(Shared.RESOURCES, RedisUrl.parse(url));
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .replayFilter(NEVER_REPLAY)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .build());
    return client;
  }

  /**
   * A Redis Cluster client that follows the cluster's changes: besides MOVED and ASK (which Lettuce
   * follows per command), its slot map is read again every {@link #TOPOLOGY_PERIOD} and soon after
   * any sign of a change (a redirect, a node that does not reconnect), at most every {@link
   * #TOPOLOGY_DEBOUNCE}. Nodes the cluster marks failed are left out of the map, so the client
   * stops reconnecting to a dead master once a replica replaced it. A node that accepts connections
   * but does not answer (a stalled machine) holds a refresh up for the seeds' timeout (Lettuce's
   * default is a minute, and no other refresh runs meanwhile): it is {@code timeout} here, unless
   * the URL sets one.
   */
  static RedisClusterClient clusterClient(String url, Duration timeout) {
    var seeds = RedisUrl.seeds(url);
    if (!url.contains("timeout=")) seeds.forEach(s -> s.setTimeout(timeout));
    RedisClusterClient client = RedisClusterClient.create(Shared.RESOURCES, seeds);
    var options =
        ClusterClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(TOPOLOGY_PERIOD)
                    .enableAllAdaptiveRefreshTriggers()
                    .adaptiveRefreshTriggersTimeout(TOPOLOGY_DEBOUNCE)
                    .refreshTriggersReconnectAttempts(2)
                    .build())
            .nodeFilter(
                n ->
                    !n.is(NodeFlag.FAIL)
                        && !n.is(NodeFlag.EVENTUAL_FAIL)
                        && !n.is(NodeFlag.NOADDR));
    options.replayFilter(
        NEVER_REPLAY); // the cluster builder does not override it: set apart, on the same builder
    client.setOptions(options.build());
    return client;
  }

  static final Duration TOPOLOGY_PERIOD = Duration.ofSeconds(5);
  static final Duration TOPOLOGY_DEBOUNCE = Duration.ofMillis(500);

  /** Whether the URL names Redis Sentinel rather than one server (false for a cluster). */
  public static boolean sentinel(String url) {
    return !cluster(url) && !RedisUrl.parse(url).getSentinels().isEmpty();
  }

  /**
   * Whether the URL names a Redis Cluster ({@code redis-cluster://}); a malformed one is refused
   * here.
   */
  public static boolean cluster(String url) {
    return RedisUrl.cluster(url) && !RedisUrl.seeds(url).isEmpty();
  }

  /**
   * Null when both connections are open, else why not (for /health; never the URL, which may hold a
   * password).
   *
   * @param lastError the last connect failure's exception name, null once connected
   */
  static String problem(
      StatefulConnection<?, ?> pubSub, StatefulConnection<?, ?> conn, String lastError) {
    if (pubSub == null || conn == null) return lastError == null ? "connecting" : lastError;
    return pubSub.isOpen() && conn.isOpen() ? null : "Redis connection lost, reconnecting";
  }

  /** For tests and the start-up log: the same URL as Lettuce reads it. */
  static RedisURI uri(String url) {
    return RedisUrl.parse(url);
  }
}
