package io.herald.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One event on one channel. Immutable.
 *
 * @param channel the channel name
 * @param seq position in the channel, starting at 1 and gapless; assigned by the hub at publish
 * @param type the application's message type (for example {@code new_anomaly})
 * @param data the payload as JSON text, already validated by whoever published it; the hub never
 *     parses it
 * @param time when the hub accepted the event
 * @param meta its rooms and origin, as fields ({@link EventMeta#NONE} for most events)
 */
public record Event(
    String channel, long seq, String type, String data, Instant time, EventMeta meta) {
  /** An event without rooms or origin. */
  public Event(String channel, long seq, String type, String data, Instant time) {
    this(channel, seq, type, data, time, EventMeta.NONE);
  }

  public Event {
    if (meta == null) meta = EventMeta.NONE;
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(time, "time");
    if (seq < 1) throw new IllegalArgumentException("seq must be positive: " + seq);
  }
}
