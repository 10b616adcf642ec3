package io.herald.store.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * A Redis Cluster: commands go to the master of their key's slot (Lettuce follows MOVED and ASK and
 * re-reads the slot map, see {@link Redis#clusterClient}); live messages travel by sharded pub/sub,
 * so a channel's messages reach only the shard that owns its slot (the live channel carries the
 * keys' hash tag) and the nodes subscribed to it there.
 *
 * <p>Lettuce sends each SSUBSCRIBE to the master of the channel's slot, on a pub/sub link of its
 * own per node, but does not move a subscription when the slot gets a new master (a failover), and
 * after a link drops it re-subscribes all of that link's channels in one SSUBSCRIBE, which Redis
 * refuses (CROSSSLOT) as soon as they span two slots. So this class keeps, per channel, the node
 * that confirmed the subscription, and re-subscribes one channel at a time wherever that is not the
 * slot's current master: after a topology change, after a pub/sub link came back, and on every
 * sweep. Each re-subscribed channel then catches up from its stream, so nothing published meanwhile
 * is missed.
 */
final class ClusterConnections implements Connections {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterConnections.class);

  /**
   * Lettuce announces a topology change before its connections have the new slot map
   * (lettuce#2860): wait a little.
   */
  private static final long SETTLE_MILLIS = 200;

  private final RedisClusterClient client;
  private final Events events;

  /** The live channels the engine listens to. */
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();

  /**
   * Per live channel, the node ("host:port") whose SSUBSCRIBE confirmation came last; absent while
   * unconfirmed.
   */
  private final Map<String, String> confirmed = new ConcurrentHashMap<>();

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "redis-cluster-subscriptions");
            t.setDaemon(true);
            return t;
          });
  private final Disposable topologyEvents;
  private volatile StatefulRedisClusterConnection<String, String> conn;
  private volatile StatefulRedisClusterPubSubConnection<String, String> pubSub;
  private volatile long lastRefresh;

  ClusterConnections(String url, Events events) {
    this.client = Redis.clusterClient(url, Duration.ofSeconds(2));
    this.events = events;
    // The event bus is the process's (shared resources): another cluster client's change only costs
    // a check.
    topologyEvents =
        client
            .getResources()
            .eventBus()
            .get()
            .filter(e -> e instanceof ClusterTopologyChangedEvent)
            .subscribe(e -> later(this::check));
    client.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            // A node's pub/sub link dropped: which channels it carried is Lettuce's secret, so
            // every one is re-sent.
            if (connection instanceof StatefulRedisPubSubConnection<?, ?>) confirmed.clear();
          }

          @Override
          public void onRedisConnected(
              RedisChannelHandler<?, ?> connection, SocketAddress address) {
            if (connection instanceof StatefulRedisPubSubConnection<?, ?>)
              later(ClusterConnections.this::check);
          }
        });
  }

  @Override
  public void open() {
    if (pubSub == null) {
      StatefulRedisClusterPubSubConnection<String, String> ps = client.connectPubSub();
      ps.addListener(
          new RedisClusterPubSubAdapter<>() {
            @Override
            public void smessage(RedisClusterNode node, String live, String message) {
              events.message(live, message);
            }

            @Override
            public void ssubscribed(RedisClusterNode node, String live, long count) {
              if (node != null && wanted.contains(live))
                confirmed.put(live, address(node.getUri()));
            }

            @Override
            public void sunsubscribed(RedisClusterNode node, String live, long count) {
              confirmed.remove(
                  live); // ours, or the node gave the slot up (Redis tells its shard subscribers)
              if (wanted.contains(live)) later(ClusterConnections.this::check);
            }
          });
      pubSub = ps;
    }
    if (conn == null) conn = client.connect();
  }

  @Override
  public RedisClusterAsyncCommands<String, String> commands() {
    StatefulRedisClusterConnection<String, String> c = conn;
    return c == null ? null : c.async();
  }

  /**
   * Without WAIT, the cluster connection (which follows redirects). With WAIT, the connection to
   * the slot's master that Lettuce routes the slot's commands on: the script and the WAIT then run
   * on one connection, so the WAIT covers the write. A redirect there fails the publish (503), and
   * the slot map is read again.
   */
  @Override
  public CompletionStage<RedisClusterAsyncCommands<String, String>> writer(
      String key, boolean waited) {
    StatefulRedisClusterConnection<String, String> c = conn;
    if (c == null) return CompletableFuture.failedFuture(new RedisException("not connected"));
    if (!waited) return CompletableFuture.completedFuture(c.async());
    RedisClusterNode master = c.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
    if (master == null)
      return CompletableFuture.failedFuture(new RedisException("no master serves the slot"));
    return c.getConnectionAsync(master.getUri().getHost(), master.getUri().getPort())
        .thenApply(StatefulRedisConnection::async);
  }

  /**
   * Any refused write reads the slot map again (at most every {@link Redis#TOPOLOGY_DEBOUNCE}):
   * during a failover the slot's commands go to the dead master's link until the map names the
   * promoted replica, and Lettuce's own triggers (reconnect attempts, redirects) come later than
   * the publishes that fail meanwhile.
   */
  @Override
  public boolean refused(RedisClusterAsyncCommands<String, String> used, Throwable cause) {
    long now = System.nanoTime();
    if (now - lastRefresh > Redis.TOPOLOGY_DEBOUNCE.toNanos()) {
      lastRefresh = now;
      client.refreshPartitionsAsync();
    }
    return false;
  }

  @Override
  public boolean sharded() {
    return true;
  }

  @Override
  public CompletionStage<?> subscribe(String live) {
    StatefulRedisClusterPubSubConnection<String, String> ps = pubSub;
    if (ps == null) return CompletableFuture.failedFuture(new RedisException("not connected"));
    wanted.add(live);
    return ps.async().ssubscribe(live);
  }

  @Override
  public void unsubscribe(String live) {
    wanted.remove(live);
    confirmed.remove(live);
    StatefulRedisClusterPubSubConnection<String, String> ps = pubSub;
    if (ps != null && ps.isOpen()) ps.async().sunsubscribe(live);
  }

  /**
   * Re-subscribes, one SSUBSCRIBE each, the channels not confirmed by their slot's current master.
   */
  @Override
  public void check() {
    StatefulRedisClusterPubSubConnection<String, String> ps = pubSub;
    if (ps == null) return;
    for (String live : wanted) {
      RedisClusterNode master = ps.getPartitions().getMasterBySlot(SlotHash.getSlot(live));
      if (master == null || address(master.getUri()).equals(confirmed.get(live))) continue;
      ps.async()
          .ssubscribe(live)
          .whenComplete(
              (ok, err) -> {
                if (err == null && wanted.contains(live)) events.resubscribed(live);
              });
    }
  }

  private static String address(RedisURI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  private void later(Runnable r) {
    if (!timer.isShutdown()) timer.schedule(r, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public String problem(String lastError) {
    return Redis.problem(pubSub, conn, lastError);
  }

  @Override
  public void close() {
    topologyEvents.dispose();
    timer.shutdownNow();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
