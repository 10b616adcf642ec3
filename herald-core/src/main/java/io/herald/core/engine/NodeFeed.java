package io.herald.core.engine;

import io.herald.core.event.Event;
import io.herald.core.hub.Hub;
import io.herald.core.hub.LocalEngine;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Keeps a node's {@link Hub} in step with a shared engine, channel by channel: once a channel is
 * attached, the hub holds its recent history (so resumes are answered on the node) and receives
 * every event the engine delivers, from whichever node published it. With a {@link LocalEngine} the
 * hub is the engine and there is nothing to attach.
 */
public final class NodeFeed implements AutoCloseable {
  private static final Logger LOG = System.getLogger(NodeFeed.class.getName());
  private final Hub hub;
  private final Engine engine;
  private final int maxEvents;
  private final ConcurrentHashMap<String, CompletableFuture<Void>> attached =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AutoCloseable> subscriptions = new ConcurrentHashMap<>();
  private final Executor retry = CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS);
  private final LongConsumer lagMicros;
  private volatile boolean closed;

  /**
   * @param maxEvents how much of a channel's history the hub takes on when it attaches
   */
  public NodeFeed(Hub hub, Engine engine, int maxEvents) {
    this(hub, engine, maxEvents, lag -> {});
  }

  /**
   * @param lagMicros told, for each event a shared engine delivers, how long after the engine kept
   *     it this node received it (by the wall clock: across machines, their clocks' offset is in it
   *     too)
   */
  public NodeFeed(Hub hub, Engine engine, int maxEvents, LongConsumer lagMicros) {
    this.hub = hub;
    this.engine = engine;
    this.maxEvents = maxEvents;
    this.lagMicros = lagMicros;
  }

  /**
   * Whether channels are shared with other nodes (events arrive from the engine, not only from this
   * hub).
   */
  public boolean shared() {
    return !(engine instanceof LocalEngine);
  }

  public Engine engine() {
    return engine;
  }

  /**
   * Completes once the hub holds the channel's recent history and follows the engine; at once when
   * not shared. While the engine is away it keeps trying.
   */
  public CompletionStage<Void> attach(String channel) {
    if (!shared()) return CompletableFuture.completedFuture(null);
    CompletableFuture<Void> f = attached.get(channel);
    if (f != null) return f;
    CompletableFuture<Void> mine = new CompletableFuture<>();
    f = attached.putIfAbsent(channel, mine);
    if (f != null) return f;
    tryAttach(channel, mine);
    return mine;
  }

  /** Whether {@link #attach} has completed for the channel (always, when not shared). */
  public boolean attached(String channel) {
    if (!shared()) return true;
    CompletableFuture<Void> f = attached.get(channel);
    return f != null && f.isDone();
  }

  private void tryAttach(String channel, CompletableFuture<Void> done) {
    if (closed) return;
    engine
        .read(channel, -1, maxEvents)
        .whenComplete(
            (page, err) -> {
              if (err != null) {
                retry.execute(() -> tryAttach(channel, done));
                return;
              }
              hub.reset(channel, page.events(), page.top()); // no subscriber yet: nobody to tell
              subscriptions.put(
                  channel,
                  engine.subscribe(
                      channel,
                      page.top(),
                      new EngineListener() {
                        @Override
                        public void event(Event event) {
                          try {
                            if (hub.follow(event))
                              lagMicros.accept(
                                  Duration.between(event.time(), Instant.now()).toNanos() / 1000);
                          } catch (
                              RuntimeException
                                  e) { // the engine promised order; if it broke it, start again
                            // from what it keeps
                            LOG.log(
                                Level.ERROR,
                                "channel "
                                    + channel
                                    + ": event out of order, re-reading the engine",
                                e);
                            engine
                                .read(channel, -1, maxEvents)
                                .thenAccept(p -> hub.reset(channel, p.events(), p.top()));
                          }
                        }

                        @Override
                        public void reset(Page p) {
                          LOG.log(
                              Level.WARNING,
                              "channel {0}: the engine lost events this node had not "
                                  + "received; clients are told they were not recovered",
                              channel);
                          hub.reset(channel, p.events(), p.top());
                        }
                      }));
              done.complete(null);
            });
  }

  @Override
  public void close() {
    closed = true;
    for (AutoCloseable s : subscriptions.values()) {
      try {
        s.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing a subscription failed", e);
      }
    }
    engine.close();
  }
}
