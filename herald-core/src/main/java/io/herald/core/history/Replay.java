package io.herald.core.history;

import io.herald.core.event.Frame;
import java.util.List;

/**
 * What a resuming subscriber gets before live events.
 *
 * @param frames the kept events after the requested sequence, oldest first
 * @param recovered false when history no longer reaches back to the requested sequence, so some
 *     events between it and {@code frames} are gone; the client should reload its state
 * @param lastSeq the channel's latest sequence when the replay was taken (0 when the channel is
 *     empty)
 */
public record Replay(List<Frame> frames, boolean recovered, long lastSeq) {
  public Replay {
    frames = List.copyOf(frames);
  }
}
