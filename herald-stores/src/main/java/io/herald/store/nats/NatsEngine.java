package io.herald.store.nats;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.EngineUnavailableException;
import io.herald.core.engine.Page;
import io.herald.core.engine.SharedState;
import io.herald.core.event.Event;
import io.herald.core.event.EventCodec;
import io.herald.core.event.EventMeta;
import io.herald.util.Backoff;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine on NATS JetStream, shared by every node on the same NATS: per channel one stream
 * holding one subject, whose stream sequence orders the channel (JetStream assigns it where it
 * stores the message, so no two nodes get the same one) and bounds its history (message count and
 * age limits). A node follows a channel with an ordered push consumer only while it has a
 * subscription on it.
 *
 * <p>Sequences never go back: a stream records, in its description, the base it was created with
 * (the clock in ms x 1000), and a channel's sequence is base + stream sequence. A stream NATS lost
 * (deleted, or NATS restarted without its store) is created again with a later base, so a position
 * from before is older than the new base and is answered "not recovered", never matched with a
 * different event. A sweep every {@value #SWEEP_MILLIS} ms finds what a consumer cannot: a stream
 * created again, or a consumer that stalled. Values the nodes share (websocket's recoverable
 * sessions) are kept in a key-value bucket ({@link NatsState}).
 */
public final class NatsEngine implements Engine, SharedState {
  private static final Logger LOG = LoggerFactory.getLogger(NatsEngine.class);
  static final long SWEEP_MILLIS = 2000;

  /**
   * JetStream's "stream not found" and "stream name already in use with a different configuration".
   */
  static final int STREAM_NOT_FOUND = 10059, STREAM_EXISTS = 10058, NO_MESSAGE = 10037;

  final NatsEngineConfig config;
  private final ConcurrentHashMap<String, Long> bases = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<NatsFeed>> feeds = new ConcurrentHashMap<>();
  final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
  private final ExecutorService stateOps =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("nats-state").factory());
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "nats-engine");
            t.setDaemon(true);
            return t;
          });
  private volatile Connection conn;
  private volatile JetStream js;
  private volatile JetStreamManagement jsm;
  private volatile Dispatcher dispatcher;
  private volatile String lastError = "connecting";
  private volatile boolean closed;

  private final NatsState state;

  public NatsEngine(NatsEngineConfig config) {
    this.config = config;
    this.state = new NatsState(config);
  }

  /** Connects in the background (start-up never waits for NATS) and starts the sweep. */
  public NatsEngine start() {
    Thread.ofVirtual().name("nats-engine-connect").start(this::connect);
    timer.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  private void connect() {
    Options options =
        new Options.Builder()
            .servers(config.servers())
            .maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(500))
            .connectionTimeout(Duration.ofSeconds(2))
            .connectionListener(
                (c, event) -> {
                  // Consumers are recreated by the client; what they may have missed meanwhile is
                  // read back by the feeds.
                  if (event == ConnectionListener.Events.RESUBSCRIBED)
                    timer.schedule(this::restartAll, 100, TimeUnit.MILLISECONDS);
                })
            .errorListener(new ErrorListener() {})
            .build();
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));
    while (!closed) {
      try {
        Connection c = Nats.connect(options);
        jsm = c.jetStreamManagement();
        js = c.jetStream();
        dispatcher = c.createDispatcher();
        conn = c;
        lastError = null;
        LOG.info("engine: NATS JetStream connected");
        restartAll();
        return;
      } catch (IOException e) {
        lastError = e.getClass().getSimpleName(); // not the message: it may name the server
        Duration wait = backoff.next();
        LOG.warn("engine: NATS unreachable, retrying in {}: {}", wait, lastError);
        if (!Backoff.sleep(wait)) return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public String name() {
    return "nats";
  }

  @Override
  public CompletionStage<Event> publish(String channel, String type, String data, EventMeta meta) {
    JetStream j = js;
    if (j == null || !connected()) return unavailable();
    long ms = System.currentTimeMillis();
    byte[] body = EventCodec.encodeBody(ms, type, meta, data);
    return call(() -> base(channel))
        .thenCompose(
            base ->
                j.publishAsync(config.subject(channel), body)
                    .thenApply(
                        ack ->
                            new Event(
                                channel,
                                base + ack.getSeqno(),
                                type,
                                data,
                                Instant.ofEpochMilli(ms),
                                meta)))
        .exceptionallyCompose(
            e -> {
              bases.remove(
                  channel); // the stream may be gone (NATS lost it): the next publish makes sure it
              // exists
              return CompletableFuture.failedFuture(unavailable(e));
            });
  }

  @Override
  public CompletionStage<Page> read(String channel, long since, int max) {
    if (!connected()) return unavailable();
    return call(() -> readNow(channel, since, max));
  }

  /**
   * Blocking: the kept events after {@code since}, on a virtual thread. See {@link Engine#read}.
   */
  Page readNow(String channel, long since, int max) throws IOException, JetStreamApiException {
    StreamInfo info = info(channel);
    if (info == null)
      return new Page(List.of(), since <= 0, 0); // a channel NATS does not hold: nothing after 0
    long base = baseOf(channel, info);
    long first = Math.max(1, info.getStreamState().getFirstSequence()),
        last = info.getStreamState().getLastSequence();
    long top = base + last;
    long from;
    boolean recovered;
    if (since < 0) {
      from = Math.max(first, last - max + 1);
      recovered = true;
    } else if (since >= top) {
      return new Page(
          List.of(), since == top, top); // ahead of the channel: from before a loss, or made up
    } else if (since < base) {
      recovered =
          since == 0
              && first == 1; // a reader that has seen nothing lost nothing, if nothing was trimmed
      from = first;
    } else {
      recovered = first <= since - base + 1;
      from = Math.max(first, since - base + 1);
    }
    List<Event> events = new ArrayList<>();
    String stream = config.stream(channel);
    for (long s = from; s <= last && events.size() < max; s++) {
      try {
        events.add(EventCodec.decodeBody(channel, base + s, jsm.getMessage(stream, s).getData()));
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != NO_MESSAGE) throw e;
        if (!events.isEmpty() || since < 0) continue; // trimmed while reading: later ones follow
        recovered = false;
      } catch (IllegalArgumentException notOurs) {
        LOG.debug("engine: skipped a message on {} that Herald did not write", stream);
      }
    }
    return new Page(events, recovered, top);
  }

  @Override
  public AutoCloseable subscribe(String channel, long after, EngineListener listener) {
    NatsFeed feed = new NatsFeed(this, channel, after, listener);
    feeds.computeIfAbsent(channel, k -> ConcurrentHashMap.newKeySet()).add(feed);
    if (connected()) feed.feed().catchUp();
    return () -> {
      feed.close();
      Set<NatsFeed> set = feeds.get(channel);
      if (set != null && set.remove(feed) && set.isEmpty()) feeds.remove(channel, set);
    };
  }

  /** The base of the channel's stream, creating the stream when NATS does not hold it. Blocking. */
  long base(String channel) throws IOException, JetStreamApiException {
    Long b = bases.get(channel);
    if (b != null) return b;
    StreamInfo info = info(channel);
    if (info == null) info = create(channel);
    return baseOf(channel, info);
  }

  private StreamInfo create(String channel) throws IOException, JetStreamApiException {
    long base = System.currentTimeMillis() * 1000;
    StreamConfiguration sc =
        StreamConfiguration.builder()
            .name(config.stream(channel))
            .subjects(config.subject(channel))
            .storageType(StorageType.File)
            .maxMessages(config.maxEvents())
            .maxAge(config.maxAge())
            .discardPolicy(DiscardPolicy.Old)
            .replicas(config.replicas())
            .description("herald channel base " + base)
            .build();
    try {
      return jsm.addStream(sc);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_EXISTS) throw e;
      return jsm.getStreamInfo(
          config.stream(channel)); // another node created it a moment ago, with its own base
    }
  }

  private StreamInfo info(String channel) throws IOException, JetStreamApiException {
    try {
      return jsm.getStreamInfo(config.stream(channel));
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        bases.remove(channel);
        return null;
      }
      throw e;
    }
  }

  /**
   * The stream's base, remembered; when it changed (the stream was created again) the channel's
   * feeds start over.
   */
  private long baseOf(String channel, StreamInfo info) {
    String d = info.getConfiguration().getDescription();
    long base = 0;
    if (d != null && d.startsWith("herald channel base "))
      base = Long.parseLong(d.substring("herald channel base ".length()));
    Long before = bases.put(channel, base);
    if (before != null && before != base) {
      LOG.warn(
          "engine: channel {} was lost by NATS and created again; its subscribers are told they were not recovered",
          channel);
      for (NatsFeed f : feeds.getOrDefault(channel, Set.of())) f.feed().catchUp();
    }
    return base;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  JetStream jetStream() {
    return js;
  }

  boolean connected() {
    Connection c = conn;
    return c != null && c.getStatus() == Connection.Status.CONNECTED;
  }

  /** Runs {@code r} after a short pause (NATS away). */
  void later(Runnable r) {
    if (!closed) timer.schedule(() -> blocking.execute(r), 500, TimeUnit.MILLISECONDS);
  }

  private void restartAll() {
    for (Set<NatsFeed> set : feeds.values()) for (NatsFeed f : set) f.feed().catchUp();
  }

  /**
   * Finds streams created again (a new base) and feeds that fell behind the stream's top without
   * noticing.
   */
  private void sweep() {
    if (!connected()) return;
    for (var entry : feeds.entrySet()) {
      blocking.execute(
          () -> {
            try {
              StreamInfo info = info(entry.getKey());
              if (info == null) return;
              long top = baseOf(entry.getKey(), info) + info.getStreamState().getLastSequence();
              for (NatsFeed f : entry.getValue()) f.feed().checkTop(top);
            } catch (IOException | JetStreamApiException | RuntimeException e) {
              LOG.debug("engine: sweep of {} failed: {}", entry.getKey(), e.toString());
            }
          });
    }
  }

  interface Blocking<T> {
    T get() throws IOException, JetStreamApiException;
  }

  /**
   * Runs {@code b} on a virtual thread; NATS's failures become {@link EngineUnavailableException}.
   */
  <T> CompletableFuture<T> call(Blocking<T> b) {
    return call(b, blocking);
  }

  private <T> CompletableFuture<T> call(Blocking<T> b, Executor on) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return b.get();
          } catch (IOException | JetStreamApiException e) {
            throw new CompletionException(unavailable(e));
          }
        },
        on);
  }

  private static EngineUnavailableException unavailable(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof EngineUnavailableException u) return u;
    return new EngineUnavailableException("NATS JetStream: " + cause.getClass().getSimpleName());
  }

  private static <T> CompletionStage<T> unavailable() {
    return CompletableFuture.failedFuture(new EngineUnavailableException("NATS is not connected"));
  }

  @Override
  public String problem() {
    if (conn == null) return lastError == null ? "connecting" : lastError;
    return connected() ? null : "NATS connection lost, reconnecting";
  }

  /**
   * Shared values are written and taken one at a time, in the order asked (as Redis applies one
   * connection's commands): a session written at connect and again at a room change must not land
   * in the other order.
   */
  @Override
  public CompletionStage<Void> put(String key, String value, Duration ttl) {
    Connection c = conn;
    if (c == null || !connected()) return unavailable();
    return call(
        () -> {
          state.put(c, key, value, ttl);
          return null;
        },
        stateOps);
  }

  @Override
  public CompletionStage<String> take(String key) {
    Connection c = conn;
    if (c == null || !connected()) return unavailable();
    return call(() -> state.take(c, key), stateOps);
  }

  /** How many channels this node follows (only those its clients use). */
  public int channels() {
    return feeds.size();
  }

  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    for (Set<NatsFeed> set : new ArrayList<>(feeds.values())) for (NatsFeed f : set) f.close();
    Connection c = conn;
    try {
      if (c != null) c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    blocking.shutdownNow();
    stateOps.shutdownNow();
  }
}
