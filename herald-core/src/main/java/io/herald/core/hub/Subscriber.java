package io.herald.core.hub;

import io.herald.core.event.Frame;
import io.herald.core.history.Replay;

/**
 * A receiver of one channel's events, usually one client connection. The hub calls it only on the
 * executor it subscribed with (its connection's event loop), so an implementation needs no locking.
 *
 * <p>Order: when resuming, {@link #replay} comes first; then {@link #deliver} once per live event,
 * in sequence order. A live frame may repeat one of the replay's (a publish racing the subscribe):
 * implementations skip frames whose sequence they have already passed, which makes the seam exact.
 */
public interface Subscriber {
  /** The history after the requested sequence. Called at most once, before any {@link #deliver}. */
  void replay(Replay replay);

  /**
   * One live event. Must not block: queue it or write it, never wait. May buffer until {@link
   * #flush}.
   */
  void deliver(Frame frame);

  /**
   * The channel's history was replaced because the engine lost events this node had not received (a
   * cluster node; see {@link Hub#reset}): {@code replay} is what is kept now, {@code recovered}
   * false, and live events continue after its {@code lastSeq}. A connection tells its client it
   * missed events. The default ignores it.
   */
  default void reset(Replay replay) {}

  /** The end of a batch of {@link #deliver} calls: push what was buffered to the network now. */
  default void flush() {}

  /**
   * Whether the hub counts each event delivered here as one message out (a client connection). A
   * dispatcher that hands events on to clients of its own says false and reports what it delivered
   * itself.
   */
  default boolean counted() {
    return true;
  }
}
