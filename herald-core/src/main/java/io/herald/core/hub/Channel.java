package io.herald.core.hub;

import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import io.herald.core.event.Frame;
import io.herald.core.history.History;
import io.herald.core.history.Journal;
import io.herald.core.history.Replay;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One channel: its sequence, history and subscribers grouped by event loop. The lock is held only
 * to assign the sequence, append to history and enqueue the event on each loop's group; never for
 * I/O or for calling subscribers. Holding it while enqueueing is what keeps every loop's view of
 * the channel (events and joins) in sequence order.
 */
final class Channel {
  final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final InstantSource clock;
  private final FanOutObserver observer;
  private final Journal journal;

  /** Guarded by {@link #lock}. */
  private final History history;

  /** Guarded by {@link #lock}. */
  private final Map<Executor, LoopGroup> groups = new HashMap<>();

  Channel(
      String name, History history, InstantSource clock, FanOutObserver observer, Journal journal) {
    this.name = name;
    this.observer = observer;
    this.journal = journal;
    this.history = history;
    this.clock = clock;
  }

  Frame publish(String type, String data, EventMeta meta) {
    lock.lock();
    try {
      Frame frame =
          new Frame(
              new Event(name, history.lastSeq() + 1, type, data, clock.instant(), meta),
              System.nanoTime());
      journal.append(
          frame.event()); // first: when it throws, the sequence stays unused and nobody saw the
      // event
      history.append(frame);
      for (LoopGroup g : groups.values()) {
        if (g.count > 0) g.publish(frame);
      }
      return frame;
    } finally {
      lock.unlock();
    }
  }

  /** See {@link Hub#follow}. */
  boolean follow(Event event) {
    lock.lock();
    try {
      if (event.seq() <= history.lastSeq()) return false;
      Frame frame = new Frame(event, System.nanoTime());
      history.append(frame); // throws on a gap: the engine reports those through reset
      for (LoopGroup g : groups.values()) {
        if (g.count > 0) g.publish(frame);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** See {@link Hub#reset}. */
  void reset(List<Event> events, long top) {
    lock.lock();
    try {
      history.reset(new Journal.Restored(events, top));
      Replay now = history.readAfter(-1);
      for (LoopGroup g : groups.values()) {
        if (g.count > 0) g.reset(new Replay(now.frames(), false, now.lastSeq()));
      }
    } finally {
      lock.unlock();
    }
  }

  Replay read(long since, int max) {
    lock.lock();
    try {
      Replay r = history.readAfter(since);
      if (r.frames().size() <= max) return r;
      var f = r.frames();
      // since < 0 asks for the latest events; otherwise the oldest after since, and the reader asks
      // again for more
      return new Replay(
          since < 0 ? f.subList(f.size() - max, f.size()) : f.subList(0, max),
          r.recovered(),
          r.lastSeq());
    } finally {
      lock.unlock();
    }
  }

  /**
   * @param since resume after this sequence, or a negative number for live events only
   */
  void subscribe(Subscriber s, Executor loop, long since) {
    lock.lock();
    try {
      Replay replay = since >= 0 ? history.readAfter(since) : null;
      LoopGroup g = groups.computeIfAbsent(loop, l -> new LoopGroup(l, observer));
      g.count++;
      g.join(s, replay);
    } finally {
      lock.unlock();
    }
  }

  void unsubscribe(Subscriber s, Executor loop) {
    lock.lock();
    try {
      LoopGroup g = groups.get(loop);
      if (g == null) return;
      g.count--;
      g.leave(s);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The history after {@code since} when it is complete from there and holds at most {@code max}
   * events, else null.
   */
  Replay history(long since, int max) {
    lock.lock();
    try {
      // Sequences have no gaps: the count is known before anything is copied under the lock
      // publishers wait for.
      if (!history.reachesBack(since) || history.lastSeq() - since > max) return null;
      return history.readAfter(since);
    } finally {
      lock.unlock();
    }
  }

  List<Frame> kept() {
    lock.lock();
    try {
      return history.readAfter(-1).frames();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Subscriptions on this channel now, and its latest sequence: one consistent look, for the admin
   * page.
   */
  ChannelStats stats() {
    lock.lock();
    try {
      int n = 0;
      for (LoopGroup g : groups.values()) n += g.count;
      return new ChannelStats(name, n, history.lastSeq());
    } finally {
      lock.unlock();
    }
  }

  long lastSeq() {
    lock.lock();
    try {
      return history.lastSeq();
    } finally {
      lock.unlock();
    }
  }
}
