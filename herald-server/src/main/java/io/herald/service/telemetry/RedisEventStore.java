package io.herald.service.telemetry;

import io.herald.store.redis.RedisLink;
import io.herald.transport.health.HealthStatus;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
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
  static final String PREFIX = "herald:telemetry:";
  static final String CHANNEL = PREFIX + "appended";
  private static final String ID_KEY = PREFIX + "last-id";
  /** The first id of the data this Redis holds: a cursor before it may have lost events with a restart. */
  private static final String EPOCH_KEY = PREFIX + "epoch";

  private final long ttlMillis;
  private final int maxPerStream;
  private final InstantSource clock;
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
  private final RedisLink link;

  RedisEventStore(String url, Duration ttl, int maxPerStream, InstantSource clock) {
    // Events published while the subscription was down never reach this instance: once it is back, every waiter
    // reads its stream again.
    this.link = new RedisLink(url, "telemetry store", CHANNEL,
        message -> notifyListeners(new java.util.HashSet<>(java.util.Arrays.asList(message.split("\n")))),  // names may repeat
        () -> notifyListeners(EventStore.ALL_STREAMS));
    this.ttlMillis = ttl.toMillis();
    this.maxPerStream = maxPerStream;
    this.clock = clock;
  }

  /** Connects in the background; until then every call fails fast. */
  void start() {
    link.start();
  }

  private static <T> CompletionStage<T> unavailable() {
    return CompletableFuture.failedFuture(new StoreUnavailableException("Redis is not connected"));
  }

  @Override
  public CompletionStage<EventId> append(List<String> streams, String userId, String body) {
    StatefulRedisConnection<String, String> c = link.connection();
    if (c == null) return unavailable();
    String[] keys = new String[streams.size() + 2];
    keys[0] = ID_KEY;
    keys[1] = EPOCH_KEY;
    List<String> args = new ArrayList<>(List.of(Long.toString(ttlMillis), Long.toString(maxPerStream), userId == null ? "" : userId, body, CHANNEL));
    for (int i = 0; i < streams.size(); i++) {
      keys[i + 2] = PREFIX + streams.get(i);
      args.add(streams.get(i));
    }
    return APPEND.<String>call(c, ScriptOutputType.VALUE, keys, args.toArray(String[]::new))
        .thenApply(EventId::parse);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletionStage<Page> read(String stream, EventId after, int limit) {
    StatefulRedisConnection<String, String> c = link.connection();
    if (c == null) return unavailable();
    String start = after == null ? "-" : "(" + after;
    return READ.<List<Object>>call(c, ScriptOutputType.MULTI, new String[] {PREFIX + stream, EPOCH_KEY},
        start, Integer.toString(limit + 1)).thenApply(r -> page(after, (String) r.get(0), (List<Object>) r.get(1), (String) r.get(2), limit));
  }

  static final io.herald.store.redis.LuaScript APPEND = new io.herald.store.redis.LuaScript(RedisScripts.APPEND);
  static final io.herald.store.redis.LuaScript READ = new io.herald.store.redis.LuaScript(RedisScripts.READ);

  @SuppressWarnings("unchecked")
  private Page page(EventId after, String dropped, List<Object> entries, String epoch, int limit) {
    long cutoff = clock.millis() - ttlMillis;
    boolean missed = after != null && !dropped.isEmpty() && EventId.parse(dropped).after(after);
    // A cursor from before this Redis's data began: what came between may have been lost with a restart. (ZERO is
    // the cursor of "$" on an empty stream: nothing was there to lose.)
    if (after != null && !after.equals(EventId.ZERO) && !epoch.isEmpty() && EventId.parse(epoch).after(after)) missed = true;
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
    StatefulRedisConnection<String, String> c = link.connection();
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
    String problem = link.problem();
    return problem == null ? HealthStatus.up(Map.of("store", "redis")) : HealthStatus.down(problem);
  }

  @Override
  public String kind() {
    return "redis";
  }

  @Override
  public void close() {
    link.close();
  }
}
