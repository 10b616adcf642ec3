package io.herald.core.hub;

import io.herald.core.event.Frame;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The subscribers of one channel that live on one event loop. One fan-out task per loop per event walks
 * this set, so publishing costs one task hand-off per loop, not one per subscriber.
 */
final class LoopGroup {
  private static final Logger LOG = System.getLogger(LoopGroup.class.getName());

  final Executor loop;
  private final FanOutObserver observer;
  /** Guarded by the channel lock: how many members there are or will be once queued tasks have run. */
  int count;
  /** State accessed exclusively by {@link #loop}'s thread. */
  private final Set<Subscriber> members = new LinkedHashSet<>();

  LoopGroup(Executor loop, FanOutObserver observer) {
    this.loop = loop;
    this.observer = observer;
  }

  /** Runs on {@link #loop}. */
  void add(Subscriber s) {
    members.add(s);
  }

  /** Runs on {@link #loop}. */
  void remove(Subscriber s) {
    members.remove(s);
  }

  /** Runs on {@link #loop}. One faulty subscriber must not starve the others, so each call is isolated. */
  void fanOut(Frame frame) {
    for (Subscriber s : members) {
      try {
        s.deliver(frame);
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "subscriber failed on channel " + frame.event().channel() + " seq " + frame.seq(), e);
      }
    }
    observer.fannedOut(frame, members.size());
  }
}
