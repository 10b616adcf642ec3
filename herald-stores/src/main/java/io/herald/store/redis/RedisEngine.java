package io.herald.store.redis;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineFeed;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.EngineUnavailableException;
import io.herald.core.engine.Page;
import io.herald.core.engine.SharedState;
import io.herald.core.event.Event;
import io.herald.core.event.EventCodec;
import io.herald.core.event.EventMeta;
import io.herald.util.Backoff;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine on Redis, shared by every node that points at the same Redis: per channel a sequence
 * and a bounded stream, appended and published by one script ({@link EngineScripts}), and a pub/sub
 * channel a node subscribes to only while it has a subscription on the channel. What pub/sub cannot
 * promise (a message lost while the link was down) is healed from the stream: after every
 * reconnect, on every gap, and by a sweep every {@value #SWEEP_MILLIS} ms that compares each
 * channel's top with what was delivered. One server, Sentinel or a Redis Cluster: what differs is
 * behind {@link Connections}.
 */
public final class RedisEngine implements Engine, SharedState, Connections.Events {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEngine.class);
  static final long SWEEP_MILLIS = 2000;

  final RedisEngineConfig config;
  private final Connections redis;
  private final ConcurrentHashMap<String, Set<EngineFeed>> feeds = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "redis-engine");
            t.setDaemon(true);
            return t;
          });
  private volatile String lastError = "connecting";
  private volatile boolean closed;

  public RedisEngine(RedisEngineConfig config) {
    this.config = config;
    this.redis = Connections.of(config.url(), this);
  }

  /** Connects in the background (start-up never waits for Redis) and starts the sweep. */
  public RedisEngine start() {
    Thread.ofVirtual().name("redis-engine-connect").start(this::connect);
    timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  private void connect() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
    while (!closed) {
      try {
        redis.open();
        lastError = null;
        LOG.info("engine: Redis connected");
        for (String channel : feeds.keySet()) listen(channel);
        return;
      } catch (RuntimeException e) {
        lastError = e.getClass().getSimpleName(); // not the message: it may name the server
        Duration wait = backoff.next();
        LOG.warn("engine: Redis unreachable, retrying in {}: {}", wait, lastError);
        if (!Backoff.sleep(wait)) return;
      }
    }
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public CompletionStage<Event> publish(String channel, String type, String data, EventMeta meta) {
    if (redis.commands() == null) return unavailable();
    boolean waited = config.minReplicas() > 0;
    String m = EventCodec.encodeMeta(meta);
    String[] args = {
      Integer.toString(config.maxEvents()),
      Long.toString(config.maxAge().toMillis()),
      Long.toString(config.metaTtlMillis()),
      type,
      data,
      config.live(channel),
      Integer.toString(type.length()),
      m,
      Integer.toString(m.length()),
      waited ? "0" : "1",
      Long.toString(floor(channel)),
      redis.sharded() ? "1" : "0"
    };
    return redis
        .writer(config.meta(channel), waited)
        .thenCompose(
            c -> {
              CompletionStage<Event> kept =
                  EngineScripts.PUBLISH_SCRIPT
                      .<List<Object>>call(
                          c,
                          ScriptOutputType.MULTI,
                          new String[] {config.meta(channel), config.stream(channel)},
                          args)
                      .thenApply(
                          r ->
                              new Event(
                                  channel,
                                  Long.parseLong((String) r.get(0)),
                                  type,
                                  data,
                                  Instant.ofEpochMilli(Long.parseLong((String) r.get(1))),
                                  meta));
              if (waited) kept = kept.thenCompose(e -> replicated(c, e));
              return kept.whenComplete(
                  (e, err) -> {
                    if (err != null && redis.refused(c, cause(err)) && !closed)
                      Thread.ofVirtual().name("redis-engine-reconnect").start(this::connect);
                  });
            })
        .exceptionallyCompose(RedisEngine::refusal);
  }

  /**
   * A publish (or read) Redis refused or did not answer (no master for the slot during a failover,
   * a redirect, a timeout) is "unavailable" (503): the script runs whole or not at all, so nothing
   * is half-kept, and the publisher may retry (a timeout may hide that it was kept, as a WAIT that
   * fell short does).
   */
  private static <T> CompletionStage<T> refusal(Throwable err) {
    Throwable c = cause(err);
    return CompletableFuture.failedFuture(
        c instanceof RedisException
            ? new EngineUnavailableException(
                "Redis did not take it: " + c.getClass().getSimpleName())
            : c);
  }

  /**
   * The event once {@code minReplicas} replicas have it (WAIT covers every earlier write of the
   * connection).
   */
  private CompletionStage<Event> replicated(RedisClusterAsyncCommands<String, String> c, Event e) {
    return c.waitForReplication(config.minReplicas(), RedisEngineConfig.WAIT_TIMEOUT.toMillis())
        .thenCompose(
            n ->
                n >= config.minReplicas()
                    ? CompletableFuture.completedFuture(e)
                    : CompletableFuture.failedFuture(
                        new EngineUnavailableException(
                            "the event reached "
                                + n
                                + " of "
                                + config.minReplicas()
                                + " Redis replicas in time: not acknowledged (it may still be delivered)")));
  }

  /**
   * The highest sequence this node has delivered on the channel: the script restarts a channel
   * found behind it.
   */
  private long floor(String channel) {
    long max = 0;
    for (EngineFeed f : feeds.getOrDefault(channel, Set.of())) max = Math.max(max, f.last());
    return max;
  }

  private static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public CompletionStage<Page> read(String channel, long since, int max) {
    RedisClusterAsyncCommands<String, String> c = redis.commands();
    if (c == null) return unavailable();
    long from = Math.max(since, -1);
    return EngineScripts.READ_SCRIPT
        .<List<Object>>call(
            c,
            ScriptOutputType.MULTI,
            new String[] {config.meta(channel), config.stream(channel)},
            Long.toString(from),
            Integer.toString(Math.max(max, 1)))
        .thenApply(
            r ->
                StreamPage.of(
                    channel, from, max, r, System.currentTimeMillis() - config.maxAge().toMillis()))
        .exceptionallyCompose(RedisEngine::refusal);
  }

  /**
   * Restarts the channel above {@code floor} when its top is below it (see {@link
   * EngineScripts#FENCE}); completes with whether it did. The feed that noticed the channel going
   * back calls it before resetting its listener.
   */
  CompletionStage<Boolean> fence(String channel, long floor) {
    RedisClusterAsyncCommands<String, String> c = redis.commands();
    if (c == null) return unavailable();
    return EngineScripts.FENCE_SCRIPT
        .<Long>call(
            c,
            ScriptOutputType.INTEGER,
            new String[] {config.meta(channel), config.stream(channel)},
            Long.toString(floor),
            Long.toString(config.metaTtlMillis()))
        .thenApply(
            n -> {
              if (n == 1)
                LOG.warn(
                    "engine: channel {} went back below sequences this node delivered (events lost in a failover); "
                        + "started it again above them",
                    channel);
              return n == 1;
            })
        .exceptionallyCompose(RedisEngine::refusal);
  }

  @Override
  public AutoCloseable subscribe(String channel, long after, EngineListener listener) {
    EngineFeed feed =
        new EngineFeed(new RedisChannel(this, channel), after, config.maxEvents(), listener);
    boolean first = feeds.computeIfAbsent(channel, k -> ConcurrentHashMap.newKeySet()).isEmpty();
    feeds.get(channel).add(feed);
    if (first) listen(channel);
    else feed.catchUp();
    return () -> {
      feed.close();
      Set<EngineFeed> set = feeds.get(channel);
      if (set != null && set.remove(feed) && set.isEmpty()) {
        feeds.remove(channel, set);
        redis.unsubscribe(config.live(channel));
      }
    };
  }

  /**
   * Subscribes to the channel's pub/sub, then lets its feeds read what they missed before it took
   * effect.
   */
  private void listen(String channel) {
    if (redis.commands() == null) return; // connect() calls again once Redis is there
    redis
        .subscribe(config.live(channel))
        .whenComplete(
            (ok, err) -> {
              if (err != null) {
                later(() -> listen(channel));
                return;
              }
              for (EngineFeed f : feeds.getOrDefault(channel, Set.of())) f.catchUp();
            });
  }

  @Override
  public void message(String live, String message) {
    String channel = config.channelOf(live);
    if (channel == null) return;
    Set<EngineFeed> set = feeds.get(channel);
    if (set == null || set.isEmpty()) return;
    EventCodec.Live m;
    try {
      m = EventCodec.decodeLive(channel, message);
    } catch (
        IllegalArgumentException
            notOurs) { // another program on the pub/sub channel: the stream is what counts
      LOG.debug(
          "engine: skipped a message on {} that Herald did not write: {}",
          channel,
          notOurs.getMessage());
      return;
    }
    for (EngineFeed f : set) f.live(m.event(), m.prev());
  }

  /** What was published while the subscription was away is in the stream. */
  @Override
  public void resubscribed(String live) {
    String channel = config.channelOf(live);
    if (channel != null) for (EngineFeed f : feeds.getOrDefault(channel, Set.of())) f.catchUp();
  }

  /**
   * Lettuce restores the subscriptions itself; what was published while the link was down comes
   * from the streams.
   */
  @Override
  public void resubscribedAll() {
    if (!closed) timer.schedule(this::catchUpAll, 100, TimeUnit.MILLISECONDS);
  }

  private void catchUpAll() {
    for (Set<EngineFeed> set : feeds.values()) for (EngineFeed f : set) f.catchUp();
  }

  /**
   * A message pub/sub lost without a disconnect (or during one Lettuce did not report) is found by
   * its top.
   */
  private void sweep() {
    RedisClusterAsyncCommands<String, String> c = redis.commands();
    if (c == null) return;
    redis.check();
    for (var entry : feeds.entrySet()) {
      c.hget(config.meta(entry.getKey()), "top")
          .thenAccept(
              top -> {
                if (top == null) return;
                long t = Long.parseLong(top);
                for (EngineFeed f : entry.getValue()) f.checkTop(t);
              });
    }
  }

  /**
   * Runs {@code r} after a short pause (Redis away): on the engine's timer, never on a Redis I/O
   * thread.
   */
  void later(Runnable r) {
    if (!closed) timer.schedule(r, 500, TimeUnit.MILLISECONDS);
  }

  private static <T> CompletionStage<T> unavailable() {
    return CompletableFuture.failedFuture(new EngineUnavailableException("Redis is not connected"));
  }

  @Override
  public String problem() {
    return redis.problem(lastError);
  }

  @Override
  public CompletionStage<Void> put(String key, String value, Duration ttl) {
    RedisClusterAsyncCommands<String, String> c = redis.commands();
    if (c == null) return unavailable();
    return c.psetex(config.state(key), Math.max(1, ttl.toMillis()), value).thenApply(ok -> null);
  }

  @Override
  public CompletionStage<String> take(String key) {
    RedisClusterAsyncCommands<String, String> c = redis.commands();
    if (c == null) return unavailable();
    return c.getdel(config.state(key));
  }

  /** How many channels this node has a pub/sub subscription for (only those its clients use). */
  public int channels() {
    return feeds.size();
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    for (Set<EngineFeed> set : new ArrayList<>(feeds.values())) for (EngineFeed f : set) f.close();
    redis.close();
  }
}
