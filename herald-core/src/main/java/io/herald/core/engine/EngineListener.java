package io.herald.core.engine;

import io.herald.core.event.Event;

/**
 * Receives one channel's events from an {@link Engine} subscription, on one thread at a time and in
 * sequence order. Must not block: the engine's I/O thread calls it.
 */
public interface EngineListener {
  /**
   * The next event: its sequence follows the previous one's (or the subscription's start) with no
   * gap; from a start of 0, the channel's first event, whose sequence may be above 1.
   */
  void event(Event event);

  /**
   * The engine could not give the events between the last one delivered and {@code page} (they were
   * trimmed, or lost with the engine's data): {@code page} holds what is kept now and its top, and
   * delivery continues after it. Whoever holds a position from before must be told it was not
   * recovered.
   */
  void reset(Page page);
}
