package io.herald.core.engine;

import io.herald.core.event.Event;
import java.util.List;

/**
 * A channel's kept events after a position.
 *
 * @param events oldest first, consecutive sequences, at most the number asked for
 * @param recovered false when the kept history no longer reaches back to the position (events after
 *     it were trimmed, expired or lost with the engine's data), or the position is ahead of the
 *     channel: the reader must treat its state as stale instead of assuming {@code events} follow
 *     on from it
 * @param top the channel's latest sequence (0 when it has none)
 */
public record Page(List<Event> events, boolean recovered, long top) {
  public Page {
    events = List.copyOf(events);
  }
}
