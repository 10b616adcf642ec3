package io.herald.service.telemetry;

import io.herald.transport.health.HealthStatus;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Events in this process, used when REDIS_URL is unset. Each stream keeps at most {@code maxPerStream} events
 * and none older than the TTL; it remembers the newest id it dropped, so a reader whose {@code lastEventId} is
 * older learns that it missed some. Streams idle for a TTL are removed by {@link #sweep}.
 */
final class MemoryEventStore implements EventStore {
  private final long ttlMillis;
  private final int maxPerStream;
  private final InstantSource clock;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
  private EventId last = EventId.ZERO;

  /** One stream's events, oldest first. Guarded by itself. */
  private static final class Stream {
    final ArrayDeque<TelemetryEvent> events = new ArrayDeque<>();
    EventId dropped = EventId.ZERO;
    long touched;
  }

  MemoryEventStore(Duration ttl, int maxPerStream, InstantSource clock) {
    this.ttlMillis = ttl.toMillis();
    this.maxPerStream = maxPerStream;
    this.clock = clock;
  }

  @Override
  public CompletionStage<EventId> append(List<String> names, String userId, String body) {
    long now = clock.millis();
    EventId id;
    // Id and insertion under one lock: two publishes must reach every stream in id order, or a reader that has
    // passed the later id would never see the earlier one.
    synchronized (this) {
      id = last.next(now);
      last = id;
      TelemetryEvent e = TelemetryEvent.of(id, userId, body);  // encoded once, read by every waiter
      for (String name : names) {
        Stream s = streams.computeIfAbsent(name, n -> new Stream());
        synchronized (s) {
          evict(s, now);
          s.events.addLast(e);
          s.touched = now;
          if (s.events.size() > maxPerStream) s.dropped = s.events.pollFirst().id();
        }
      }
    }
    Set<String> appended = Set.copyOf(names);
    for (Consumer<Set<String>> l : listeners) l.accept(appended);
    return CompletableFuture.completedFuture(id);
  }

  @Override
  public CompletionStage<Page> read(String name, EventId after, int limit) {
    long now = clock.millis();
    Stream s = streams.get(name);
    // An unknown stream: never written, or idle and forgotten; a reader far enough behind may have missed events.
    if (s == null) return CompletableFuture.completedFuture(new Page(List.of(), maybeExpired(after, now - ttlMillis), false));
    synchronized (s) {
      evict(s, now);
      boolean missed = after != null && s.dropped.after(after);
      // Newest first until the cursor: a poll usually asks for the last few events.
      List<TelemetryEvent> newer = new ArrayList<>();
      for (Iterator<TelemetryEvent> it = s.events.descendingIterator(); it.hasNext(); ) {
        TelemetryEvent e = it.next();
        if (after != null && !e.id().after(after)) break;
        newer.add(e);
      }
      Collections.reverse(newer);
      boolean more = newer.size() > limit;
      return CompletableFuture.completedFuture(new Page(List.copyOf(more ? newer.subList(0, limit) : newer), missed, more));
    }
  }

  @Override
  public CompletionStage<EventId> lastId(String name) {
    Stream s = streams.get(name);
    if (s == null) return CompletableFuture.completedFuture(EventId.ZERO);
    synchronized (s) {
      return CompletableFuture.completedFuture(s.events.isEmpty() ? EventId.ZERO : s.events.peekLast().id());
    }
  }

  /** A cursor older than the TTL on a stream that is gone: events after it may have expired. */
  static boolean maybeExpired(EventId after, long cutoff) {
    return after != null && after.millis() > 0 && after.millis() < cutoff;
  }

  private void evict(Stream s, long now) {
    while (!s.events.isEmpty() && s.events.peekFirst().id().millis() < now - ttlMillis) s.dropped = s.events.pollFirst().id();
  }

  /** Drops expired events everywhere and forgets streams that have been idle for a TTL. */
  void sweep() {
    long now = clock.millis();
    synchronized (this) {  // no publish between finding a stream idle and removing it
      streams.entrySet().removeIf(en -> {
        Stream s = en.getValue();
        synchronized (s) {
          evict(s, now);
          return s.events.isEmpty() && s.touched < now - ttlMillis;
        }
      });
    }
  }

  @Override
  public void listen(Consumer<Set<String>> appended) {
    listeners.add(appended);
  }

  @Override
  public HealthStatus health() {
    return HealthStatus.up(Map.of("streams", streams.size()));
  }

  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public void close() {
    streams.clear();
  }
}
