package io.herald.store.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisReadOnlyException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis server, or the master Sentinel names: a command connection and {@value
 * #PUBSUB_CONNECTIONS} pub/sub connections, a channel always on the same one (by its hash), so the
 * messages of many channels are read and decoded on several of Lettuce's I/O threads, not one.
 * Lettuce restores SUBSCRIBEs after a reconnect by itself.
 */
final class ServerConnections implements Connections {
  private static final Logger LOG = LoggerFactory.getLogger(ServerConnections.class);
  static final int PUBSUB_CONNECTIONS = 2;

  private final RedisClient client;
  private final Events events;
  private volatile StatefulRedisConnection<String, String> conn;

  /**
   * Null until opened; kept across retries, so a later failure does not open more subscription
   * connections.
   */
  private volatile List<StatefulRedisPubSubConnection<String, String>> pubSubs;

  ServerConnections(String url, Events events) {
    this.client = Redis.client(url, Duration.ofSeconds(2));
    this.events = events;
    client.addListener(
        new RedisConnectionStateListener() {
          @Override
          public void onRedisConnected(
              RedisChannelHandler<?, ?> connection, SocketAddress address) {
            var ps = pubSubs;
            if (ps != null && ps.contains(connection)) events.resubscribedAll();
          }
        });
  }

  @Override
  public void open() {
    if (pubSubs == null) {
      List<StatefulRedisPubSubConnection<String, String>> opened = new ArrayList<>();
      for (int i = 0; i < PUBSUB_CONNECTIONS; i++) {
        StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub();
        ps.addListener(
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String live, String message) {
                events.message(live, message);
              }
            });
        opened.add(ps);
      }
      pubSubs = List.copyOf(opened);
    }
    if (conn == null) conn = client.connect();
  }

  @Override
  public RedisClusterAsyncCommands<String, String> commands() {
    StatefulRedisConnection<String, String> c = conn;
    return c == null ? null : c.async();
  }

  @Override
  public CompletionStage<RedisClusterAsyncCommands<String, String>> writer(
      String key, boolean waited) {
    RedisClusterAsyncCommands<String, String> c = commands();
    return c == null
        ? CompletableFuture.failedFuture(new RedisException("not connected"))
        : CompletableFuture.completedFuture(c);
  }

  /**
   * READONLY: the command connection reached a replica, a master demoted while this node stayed
   * connected to it. A new connection asks Sentinel for the current master; publishes are refused
   * (503) until it is open.
   */
  @Override
  public boolean refused(RedisClusterAsyncCommands<String, String> used, Throwable cause) {
    if (!(cause instanceof RedisReadOnlyException)) return false;
    StatefulRedisConnection<String, String> stale;
    synchronized (this) {
      stale = conn;
      if (stale == null || stale.async() != used) return false;
      conn = null;
    }
    LOG.warn(
        "engine: Redis answered READONLY (a master demoted by a failover); reconnecting to the current master");
    stale.closeAsync();
    return true;
  }

  @Override
  public boolean sharded() {
    return false;
  }

  @Override
  public CompletionStage<?> subscribe(String live) {
    StatefulRedisPubSubConnection<String, String> ps = pubSubOf(live);
    return ps == null
        ? CompletableFuture.failedFuture(new IllegalStateException("not connected"))
        : ps.async().subscribe(live);
  }

  @Override
  public void unsubscribe(String live) {
    StatefulRedisPubSubConnection<String, String> ps = pubSubOf(live);
    if (ps != null && ps.isOpen()) ps.async().unsubscribe(live);
  }

  private StatefulRedisPubSubConnection<String, String> pubSubOf(String live) {
    var all = pubSubs;
    return all == null ? null : all.get(Math.floorMod(live.hashCode(), all.size()));
  }

  @Override
  public void check() {}

  @Override
  public String problem(String lastError) {
    var all = pubSubs;
    StatefulRedisPubSubConnection<String, String> down =
        all == null
            ? null
            : all.stream().filter(c -> !c.isOpen()).findFirst().orElse(all.getFirst());
    return Redis.problem(down, conn, lastError);
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
