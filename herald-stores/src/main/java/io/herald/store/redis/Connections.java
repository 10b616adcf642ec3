package io.herald.store.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletionStage;

/**
 * What differs between the engine's Redis topologies, and nothing else: how commands reach the node
 * that holds a key, and how the engine listens to a channel's live messages. One server or
 * Sentinel's master ({@link ServerConnections}: PUBLISH and SUBSCRIBE) or a Redis Cluster ({@link
 * ClusterConnections}: SPUBLISH and SSUBSCRIBE on the shard that owns the channel). The scripts,
 * the feeds, the sweep and the failover fence are the engine's, the same on both.
 */
interface Connections {
  /** What the connections report to the engine, on Lettuce's threads or the engine's timer. */
  interface Events {
    /** A live message on the pub/sub channel {@code live}. */
    void message(String live, String message);

    /**
     * A subscription came back after a drop or moved to a new master: what was published meanwhile
     * is in the streams.
     */
    void resubscribed(String live);

    /** Every subscription may have missed messages (a pub/sub link reconnected). */
    void resubscribedAll();
  }

  static Connections of(String url, Events events) {
    return Redis.cluster(url)
        ? new ClusterConnections(url, events)
        : new ServerConnections(url, events);
  }

  /**
   * Opens what is not open yet; throws while Redis cannot be reached (the engine retries with
   * backoff).
   */
  void open();

  /** Commands for any key (on a cluster, routed to the key's shard); null until opened. */
  RedisClusterAsyncCommands<String, String> commands();

  /**
   * Where to write {@code key} so that a WAIT sent on the same commands afterwards covers that
   * write: WAIT counts the writes of its own connection, so on a cluster it must be the connection
   * to the master of the key's slot.
   *
   * @param waited whether a WAIT follows (a cluster then pins the write to that node's connection)
   */
  CompletionStage<RedisClusterAsyncCommands<String, String>> writer(String key, boolean waited);

  /**
   * A write on {@code used} failed with {@code cause}: a demoted master, or a slot map out of date.
   * Returns true when the engine must call {@link #open} again (the command connection was
   * dropped).
   */
  boolean refused(RedisClusterAsyncCommands<String, String> used, Throwable cause);

  /**
   * Whether live messages travel by sharded pub/sub (SPUBLISH), which the publish script needs to
   * know.
   */
  boolean sharded();

  /** Starts listening to {@code live}; completes once the subscription took. */
  CompletionStage<?> subscribe(String live);

  void unsubscribe(String live);

  /** The engine's sweep: a cluster moves subscriptions whose shard has a new master. */
  void check();

  /** Null when connected, else why not (never the URL). */
  String problem(String lastError);

  void close();
}
