package io.herald.service.telemetry;

import io.herald.store.redis.Redis;
import io.herald.transport.health.HealthStatus;
import io.herald.util.Backoff;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events in Redis streams, one stream per key {@code herald:telemetry:<stream>} ({@link Streams} names them),
 * written by {@link RedisScripts#APPEND} so that an id is the same in every stream and ordered across
 * instances. Every append is also published on {@code herald:telemetry:appended}: each instance subscribes once
 * and wakes its own long polls and SSE streams, so a parked poll never polls Redis in a loop.
 *
 * <p>Lettuce is asynchronous: nothing here blocks a caller. Commands fail fast while Redis is unreachable (the
 * request gets a 503) and the connection comes back by itself.
 */
final class RedisEventStore implements EventStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEventStore.class);
  static final String PREFIX = "herald:telemetry:";
  static final String CHANNEL = PREFIX + "appended";
  private static final String ID_KEY = PREFIX + "last-id";

  private final RedisClient client;
  private final long ttlMillis;
  private final int maxPerStream;
  private final InstantSource clock;
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
  private volatile StatefulRedisConnection<String, String> conn;
  private volatile StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile String lastError = "connecting";
  private volatile boolean closed;

  RedisEventStore(String url, Duration ttl, int maxPerStream, InstantSource clock) {
    this.client = Redis.client(url, Duration.ofSeconds(2));
    // Events published while the subscription was down never reach this instance: once it is back, every waiter
    // reads its stream again (the reconnect itself is Lettuce's, with the subscription restored).
    client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
        if (connection == pubSub) notifyListeners(EventStore.ALL_STREAMS);
      }
    });
    this.ttlMillis = ttl.toMillis();
    this.maxPerStream = maxPerStream;
    this.clock = clock;
  }

  /** Connects on a virtual thread, retrying with capped backoff; until then every call fails fast. */
  void start() {
    Thread.ofVirtual().name("telemetry-redis-connect").start(() -> {
      Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
      while (!closed) {
        try {
          if (pubSub == null) {  // kept across retries: a later failure must not open a second subscription
            StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub();
            ps.addListener(new RedisPubSubAdapter<>() {
              @Override
              public void message(String channel, String message) {
                notifyListeners(new java.util.HashSet<>(java.util.Arrays.asList(message.split("\n"))));  // names may repeat
              }
            });
            ps.sync().subscribe(CHANNEL);
            pubSub = ps;
          }
          conn = client.connect();
          lastError = null;
          LOG.info("telemetry store: Redis connected");
          return;
        } catch (RuntimeException e) {
          lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
          Duration wait = backoff.next();
          LOG.warn("telemetry store: Redis unreachable, retrying in {}: {}", wait, lastError);
          if (!Backoff.sleep(wait)) return;
        }
      }
    });
  }

  private static <T> CompletionStage<T> unavailable() {
    return CompletableFuture.failedFuture(new StoreUnavailableException("Redis is not connected"));
  }

  @Override
  public CompletionStage<EventId> append(List<String> streams, String userId, String body) {
    StatefulRedisConnection<String, String> c = conn;
    if (c == null) return unavailable();
    String[] keys = new String[streams.size() + 1];
    keys[0] = ID_KEY;
    List<String> args = new ArrayList<>(List.of(Long.toString(ttlMillis), Long.toString(maxPerStream), userId == null ? "" : userId, body, CHANNEL));
    for (int i = 0; i < streams.size(); i++) {
      keys[i + 1] = PREFIX + streams.get(i);
      args.add(streams.get(i));
    }
    return c.async().<String>eval(RedisScripts.APPEND, ScriptOutputType.VALUE, keys, args.toArray(String[]::new))
        .thenApply(EventId::parse);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<Page> read(String stream, EventId after, int limit) {
    StatefulRedisConnection<String, String> c = conn;
    if (c == null) return unavailable();
    String start = after == null ? "-" : "(" + after;
    return c.async().<List<Object>>eval(RedisScripts.READ, ScriptOutputType.MULTI, new String[] {PREFIX + stream}, start, Integer.toString(limit + 1))
        .thenApply(r -> page(after, (String) r.get(0), (List<Object>) r.get(1), limit));
  }

  @SuppressWarnings("unchecked")
  private Page page(EventId after, String dropped, List<Object> entries, int limit) {
    long cutoff = clock.millis() - ttlMillis;
    boolean missed = after != null && !dropped.isEmpty() && EventId.parse(dropped).after(after);
    if (entries.isEmpty() && dropped.isEmpty() && MemoryEventStore.maybeExpired(after, cutoff)) missed = true;  // stream gone
    List<TelemetryEvent> events = new ArrayList<>();
    for (Object o : entries) {
      List<Object> entry = (List<Object>) o;
      EventId id = EventId.parse((String) entry.get(0));
      List<Object> fields = (List<Object>) entry.get(1);
      if (id.millis() < cutoff) {  // expired, not trimmed yet (trimming happens on the next append)
        if (after != null) missed = true;
        continue;
      }
      String user = null, body = null;
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        if ("u".equals(fields.get(i))) user = (String) fields.get(i + 1);
        else if ("b".equals(fields.get(i))) body = (String) fields.get(i + 1);
      }
      events.add(TelemetryEvent.of(id, user == null || user.isEmpty() ? null : user, body));
    }
    boolean more = events.size() > limit;
    return new Page(more ? List.copyOf(events.subList(0, limit)) : events, missed, more);
  }

  @Override
  public CompletionStage<EventId> lastId(String stream) {
    StatefulRedisConnection<String, String> c = conn;
    if (c == null) return unavailable();
    return c.async().xrevrange(PREFIX + stream, io.lettuce.core.Range.create("-", "+"), io.lettuce.core.Limit.from(1))
        .thenApply(l -> l.isEmpty() ? EventId.ZERO : EventId.parse(l.getFirst().getId()));
  }

  private void notifyListeners(Set<String> streams) {
    for (Consumer<Set<String>> l : listeners) l.accept(streams);
  }

  @Override
  public void listen(Consumer<Set<String>> appended) {
    listeners.add(appended);
  }

  @Override
  public HealthStatus health() {
    StatefulRedisConnection<String, String> c = conn;
    StatefulRedisPubSubConnection<String, String> p = pubSub;
    if (c != null && c.isOpen() && p != null && p.isOpen()) return HealthStatus.up(Map.of("store", "redis"));
    return HealthStatus.down(lastError == null ? "Redis connection lost, reconnecting" : lastError);
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public void close() {
    closed = true;
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
