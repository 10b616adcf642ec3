package io.herald.core.hub;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineFeed;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.FeedTransport;
import io.herald.core.engine.Page;
import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One process's engine: the {@link Hub} itself sequences, keeps (in memory, or in the file journal
 * it was built with) and delivers. Every call completes before it returns. A listener runs on the
 * publishing thread under the channel's lock, so it must not publish to the same channel itself.
 */
public final class LocalEngine implements Engine {
  private final Hub hub;
  private final String name;
  private final AutoCloseable owned;

  /**
   * @param name "memory" or "journal", as the hub keeps its history
   */
  public LocalEngine(Hub hub, String name) {
    this(hub, name, () -> {});
  }

  /**
   * @param owned closed with the engine (the hub's journal, when the engine owns it)
   */
  public LocalEngine(Hub hub, String name, AutoCloseable owned) {
    this.hub = hub;
    this.name = name;
    this.owned = owned;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletionStage<Event> publish(String channel, String type, String data, EventMeta meta) {
    try {
      return CompletableFuture.completedFuture(hub.publish(channel, type, data, meta).event());
    } catch (
        RuntimeException e) { // a journal that refused: the event was not kept, nobody received it
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Page> read(String channel, long since, int max) {
    return CompletableFuture.completedFuture(page(hub.read(channel, since, max)));
  }

  @Override
  public AutoCloseable subscribe(String channel, long after, EngineListener listener) {
    // Always with a replay (also for a live-only subscription): it is what starts the feed under
    // the channel's lock.
    Subscription s =
        hub.subscribe(
            channel, new Relay(channel, after, listener), Runnable::run, Math.max(after, 0));
    return () -> hub.unsubscribe(s);
  }

  @Override
  public void close() {
    try {
      owned.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not close the engine's store", e);
    }
  }

  /**
   * The hub as a feed's transport: the history is the hub's, and live events are the frames it
   * delivers, gapless and in order. Every call comes under the channel's lock (the hub calls {@link
   * #replay} and {@link #deliver} with it held, on the publishing thread), so the feed's reads of
   * the hub, which take that lock again, cannot interleave with a publish.
   */
  private final class Relay implements Subscriber, FeedTransport {
    private final String channel;
    private final EngineFeed feed;

    Relay(String channel, long after, EngineListener listener) {
      this.channel = channel;
      this.feed =
          new EngineFeed(
              this,
              after,
              Integer.MAX_VALUE,
              listener); // a reset: all the hub keeps, bounded already
    }

    @Override
    public CompletionStage<Page> read(long since, int max) {
      return CompletableFuture.completedFuture(page(hub.read(channel, since, max)));
    }

    /** Never needed: a read of the hub does not fail. */
    @Override
    public void later(Runnable r) {
      CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(r);
    }

    /** The feed reads the history itself, still under the channel's lock the replay came with. */
    @Override
    public void replay(Replay r) {
      feed.catchUp();
    }

    @Override
    public void deliver(Frame frame) {
      feed.live(frame.event(), frame.seq() - 1);
    }

    @Override
    public boolean counted() {
      return false;
    }
  }

  private static Page page(Replay r) {
    return new Page(r.frames().stream().map(Frame::event).toList(), r.recovered(), r.lastSeq());
  }
}
