package io.herald.service.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.EngineUnavailableException;
import io.herald.core.event.Event;
import io.herald.protocol.json.Json;
import io.herald.transport.health.HealthStatus;
import java.io.IOException;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry's events on the engine: every event is published once, to one engine channel (the log,
 * {@value #LOG_CHANNEL}), whose sequence is the event's id in every stream. Each instance follows
 * the log and indexes it by stream ({@link StreamIndex}); polls and SSE streams read that index and
 * are woken by what it receives, whichever instance published. On the memory engine that is one
 * process; on the Redis engine every instance on the same Redis.
 */
final class EngineEventStore implements EventStore {
  private static final Logger LOG = LoggerFactory.getLogger(EngineEventStore.class);
  static final String LOG_CHANNEL = "log";

  private final Engine engine;
  private final StreamIndex index;
  private final int max;
  private final InstantSource clock;
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
  private final Executor retry = CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS);

  /**
   * Publishes waiting for this instance's index to hold them, by id: a poll right after a publish
   * sees it.
   */
  private final ConcurrentSkipListMap<Long, CompletableFuture<Void>> reaching =
      new ConcurrentSkipListMap<>();

  private volatile AutoCloseable subscription;
  private volatile boolean closed;

  EngineEventStore(Engine engine, int maxEvents, long ttlMillis, InstantSource clock) {
    this.engine = engine;
    this.max = maxEvents;
    this.index = new StreamIndex(maxEvents, ttlMillis);
    this.clock = clock;
  }

  /**
   * Loads the kept window and follows the log; while the engine is away it keeps trying (reads get
   * 503 meanwhile).
   */
  EngineEventStore start() {
    engine
        .read(LOG_CHANNEL, -1, max)
        .whenComplete(
            (page, err) -> {
              if (closed) return;
              if (err != null) {
                retry.execute(this::start);
                return;
              }
              index.reset(page.events().stream().map(EngineEventStore::entry).toList(), page.top());
              subscription =
                  engine.subscribe(
                      LOG_CHANNEL,
                      page.top(),
                      new EngineListener() {
                        @Override
                        public void event(Event event) {
                          StreamIndex.Entry e = entry(event);
                          if (index.append(e, clock.millis())) tell(Set.copyOf(e.streams()));
                          reached(event.seq());
                        }

                        @Override
                        public void reset(io.herald.core.engine.Page p) {
                          LOG.warn(
                              "telemetry: the engine lost events of the log; "
                                  + "readers from before are told they missed events");
                          index.reset(
                              p.events().stream().map(EngineEventStore::entry).toList(), p.top());
                          tell(ALL_STREAMS);
                          reached(p.top());
                        }
                      });
              LOG.info(
                  "telemetry: following the {} engine's log from id {}, {} events kept",
                  engine.name(),
                  page.top(),
                  index.size());
              tell(ALL_STREAMS);
            });
    return this;
  }

  private void reached(long top) {
    var done = reaching.headMap(top, true);
    done.values().forEach(f -> f.complete(null));
    done.clear();
  }

  private void tell(Set<String> streams) {
    for (Consumer<Set<String>> l : listeners) l.accept(streams);
  }

  /**
   * The stored event: its type is the event type, its data the event's JSON without the id (the id
   * is its sequence).
   */
  static StreamIndex.Entry entry(Event e) {
    String userId = userOf(e.data());
    TelemetryEvent t = TelemetryEvent.of(new EventId(e.seq()), userId, e.data());
    return new StreamIndex.Entry(t, e.time().toEpochMilli(), Streams.of(e.type(), userId));
  }

  private static String userOf(String body) {
    try {
      JsonNode u = Json.MAPPER.readTree(body).get("userId");
      return u == null || u.isNull() ? null : u.asText();
    } catch (
        IOException
            e) { // written by this service as JSON; an entry someone else put in the log: nobody's
      return null;
    }
  }

  /**
   * Completes once the event is kept by the engine and held by this instance's index (almost at
   * once: the engine delivers it to every instance right away; after {@value #REACH_WAIT_MS} ms it
   * completes anyway, the event being kept).
   */
  @Override
  public CompletionStage<EventId> append(String eventType, String userId, String body) {
    return engine
        .publish(LOG_CHANNEL, eventType, body)
        .handle(
            (e, err) -> {
              if (err == null) return e;
              Throwable cause = err instanceof CompletionException ? err.getCause() : err;
              if (cause instanceof EngineUnavailableException)
                throw new StoreUnavailableException(cause.getMessage());
              throw new CompletionException(cause);
            })
        .thenCompose(e -> held(e.seq()).thenApply(v -> new EventId(e.seq())));
  }

  static final long REACH_WAIT_MS = 2000;

  private CompletionStage<Void> held(long seq) {
    if (index.has(seq)) return CompletableFuture.completedFuture(null);
    CompletableFuture<Void> f = reaching.computeIfAbsent(seq, k -> new CompletableFuture<>());
    if (index.has(seq)) reached(seq); // arrived while registering
    return f.completeOnTimeout(null, REACH_WAIT_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletionStage<Page> read(String stream, EventId after, int limit) {
    try {
      return CompletableFuture.completedFuture(index.read(stream, after, limit, clock.millis()));
    } catch (StoreUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<EventId> lastId(String stream) {
    try {
      return CompletableFuture.completedFuture(index.top());
    } catch (StoreUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void listen(Consumer<Set<String>> appended) {
    listeners.add(appended);
  }

  @Override
  public HealthStatus health() {
    String problem = engine.problem();
    if (problem != null) return HealthStatus.down(problem);
    if (!index.loaded()) return HealthStatus.down("loading the telemetry log");
    return HealthStatus.up(Map.of("engine", engine.name(), "events", index.size()));
  }

  @Override
  public String kind() {
    return engine.name();
  }

  @Override
  public void close() {
    closed = true;
    AutoCloseable s = subscription;
    try {
      if (s != null) s.close();
    } catch (Exception e) {
      LOG.debug("closing the log's subscription: {}", e.toString());
    }
    engine.close();
  }
}
