package io.herald.core.hub;

import io.herald.core.event.Frame;

/**
 * Told after each fan-out task has handed a frame to every subscriber of one loop. Metrics hang
 * here so that publish-to-write latency costs one measurement per loop per event rather than one
 * per subscriber. Called on the loop's thread; must be cheap and must not throw.
 */
@FunctionalInterface
public interface FanOutObserver {
  FanOutObserver NONE = (frame, subscribers) -> {};

  void fannedOut(Frame frame, int subscribers);
}
