package io.herald.core.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What an engine gives an {@link EngineFeed}: how to read a channel's history, how to start and
 * stop its live messages, how to fence it. The feed owns the order, the gaps and the resets; the
 * transport only moves data. Its futures may complete on any thread (or before they are returned),
 * and it must never block the caller.
 */
public interface FeedTransport {
  /**
   * Read the channel's history: as {@link Engine#read} ({@code since < 0}: the latest {@code max}).
   */
  CompletionStage<Page> read(long since, int max);

  /**
   * Run {@code r} after a short pause, off the caller's thread: a read or a fence failed, the
   * engine is away.
   */
  void later(Runnable r);

  /**
   * The channel went back below {@code floor}, a sequence already delivered (a failover lost
   * events): make sure no later event can get a sequence at or below it, before the feed resets its
   * listener. Engines that cannot go back have nothing to do.
   */
  default CompletionStage<Void> fence(long floor) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Live messages are wanted from after {@code after} on (a consumer that starts at a position);
   * completes once they flow. A transport whose messages flow all the time (pub/sub, already
   * subscribed) has nothing to do.
   */
  default CompletionStage<Void> follow(long after) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * A read of the history starts; {@link #follow} comes after it. Messages that still arrive are
   * harmless.
   */
  default void stop() {}

  /**
   * How the periodic check of the channel's top ({@link EngineFeed#checkTop}) treats a difference.
   */
  default Sweep sweep() {
    return Sweep.AT_ONCE;
  }

  enum Sweep {
    /**
     * Any difference between the top and the last event delivered reads the history at once: a lost
     * pub/sub message is seen by nothing else, and a top below it means the channel went back (the
     * read then fences).
     */
    AT_ONCE,
    /**
     * Only a top the feed is still short of one sweep later reads: a consumer that delivers every
     * message but lags under load must not be restarted for it.
     */
    STALLED
  }
}
