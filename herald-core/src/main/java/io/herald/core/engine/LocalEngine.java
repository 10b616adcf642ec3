package io.herald.core.engine;

import io.herald.core.event.Event;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.Hub;
import io.herald.core.hub.Subscriber;
import io.herald.core.hub.Subscription;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One process's engine: the {@link Hub} itself sequences, keeps (in memory, or in the file journal it was built
 * with) and delivers. Every call completes before it returns. A listener runs on the publishing thread under the
 * channel's lock, so it must not publish to the same channel itself.
 */
public final class LocalEngine implements Engine {
  private final Hub hub;
  private final String name;
  private final AutoCloseable owned;

  /** @param name "memory" or "journal", as the hub keeps its history */
  public LocalEngine(Hub hub, String name) {
    this(hub, name, () -> { });
  }

  /** @param owned closed with the engine (the hub's journal, when the engine owns it) */
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
  public CompletionStage<Event> publish(String channel, String type, String data, io.herald.core.event.EventMeta meta) {
    try {
      return CompletableFuture.completedFuture(hub.publish(channel, type, data, meta).event());
    } catch (RuntimeException e) {  // a journal that refused: the event was not kept, nobody received it
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Page> read(String channel, long since, int max) {
    Replay r = hub.read(channel, since, max);
    return CompletableFuture.completedFuture(new Page(r.frames().stream().map(Frame::event).toList(), r.recovered(), r.lastSeq()));
  }

  @Override
  public AutoCloseable subscribe(String channel, long after, EngineListener listener) {
    Subscription s = hub.subscribe(channel, new Relay(after, listener), Runnable::run, after);
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

  /** Turns the hub's replay-then-live delivery into the engine's exactly-once listener calls. */
  private static final class Relay implements Subscriber {
    private final EngineListener listener;
    private long last;

    Relay(long after, EngineListener listener) {
      this.listener = listener;
      this.last = after;
    }

    @Override
    public void replay(Replay r) {
      if (!r.recovered()) {
        listener.reset(new Page(r.frames().stream().map(Frame::event).toList(), false, r.lastSeq()));
        last = r.lastSeq();
        return;
      }
      for (Frame f : r.frames()) deliver(f);
    }

    @Override
    public void deliver(Frame frame) {
      if (frame.seq() <= last) return;  // a live frame the replay already gave
      last = frame.seq();
      listener.event(frame.event());
    }

    @Override
    public boolean counted() {
      return false;
    }
  }
}
